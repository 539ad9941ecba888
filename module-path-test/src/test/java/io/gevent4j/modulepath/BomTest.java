package io.gevent4j.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM cannot drift from the build: {@code gevent4j-bom} has no parent (so that importing it hands over nothing but
 * gevent4j's own artifacts), so its version and its list are kept by hand, and this test checks them. Every published
 * artifact has an API listing ({@code <module>/api/<artifactId>.api}, checked by the build), and the deployed modules (those
 * of the root pom without {@code maven.deploy.skip}) are exactly the ones with a listing, so the listings name the
 * artifacts the BOM must manage.
 */
class BomTest {
    private static Path root() {
        String r = System.getProperty("gevent4j.root");
        assertNotNull(r, "the surefire configuration passes gevent4j.root");
        return Path.of(r);
    }

    private static Element bom() throws Exception {
        Document d = DocumentBuilderFactory.newDefaultInstance()
                .newDocumentBuilder()
                .parse(root().resolve("bom/pom.xml").toFile());
        return d.getDocumentElement();
    }

    private static String child(Element e, String name) {
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().trim();
            }
        }
        return null;
    }

    /** The artifactIds of the API listings: the published artifacts. */
    private static Set<String> published() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> modules = Files.list(root())) {
            for (Path m : modules.filter(Files::isDirectory).toList()) {
                Path api = m.resolve("api");
                if (!Files.isDirectory(api)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(api)) {
                    files.map(f -> f.getFileName().toString())
                            .filter(f -> f.endsWith(".api"))
                            .forEach(f -> names.add(f.substring(0, f.length() - ".api".length())));
                }
            }
        }
        return names;
    }

    /**
     * The artifactIds of the reactor's modules that are deployed: every module of the root pom but the BOM itself and
     * those whose pom sets {@code maven.deploy.skip} to true.
     */
    private static Set<String> deployed() throws Exception {
        Set<String> names = new TreeSet<>();
        Element rootPom = parse(root().resolve("pom.xml"));
        for (Element module : children(only(rootPom, "modules"), "module")) {
            Element pom = parse(root().resolve(module.getTextContent().trim()).resolve("pom.xml"));
            String artifact = child(pom, "artifactId");
            Element properties = only(pom, "properties");
            boolean skipped = properties != null && "true".equals(child(properties, "maven.deploy.skip"));
            if (!skipped && !artifact.equals("gevent4j-bom")) {
                names.add(artifact);
            }
        }
        return names;
    }

    private static Element parse(Path pom) throws Exception {
        Document d =
                DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(pom.toFile());
        return d.getDocumentElement();
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element c && c.getTagName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    private static Element only(Element e, String name) {
        List<Element> l = children(e, name);
        return l.isEmpty() ? null : l.get(0);
    }

    @Test
    @DisplayName("the BOM's version is the build's")
    void versionIsTheReactors() throws Exception {
        assertEquals(System.getProperty("gevent4j.version"), child(bom(), "version"), "bom/pom.xml <version>");
    }

    @Test
    @DisplayName(
            "every deployed module but the parent has an API listing, and the BOM manages exactly those, once each")
    void managesEveryPublishedArtifact() throws Exception {
        Set<String> listed = published();
        assertFalse(listed.isEmpty(), "no API listing found under " + root());
        Set<String> deployed = deployed();
        assertEquals(
                deployed,
                listed,
                "the deployed modules (root pom <modules> without maven.deploy.skip) " + "against the API listings");
        List<String> managed = new ArrayList<>();
        Element dependencies = only(only(bom(), "dependencyManagement"), "dependencies");
        for (Element d : children(dependencies, "dependency")) {
            String id = child(d, "artifactId");
            assertEquals("io.gevent4j", child(d, "groupId"), "groupId of " + id);
            assertEquals("${project.version}", child(d, "version"), "version of " + id);
            assertNull(child(d, "type"), "type of " + id);
            assertNull(child(d, "classifier"), "classifier of " + id);
            managed.add(id);
        }
        assertEquals(managed.size(), new TreeSet<>(managed).size(), "an artifact managed twice: " + managed);
        assertEquals(listed, new TreeSet<>(managed), "bom/pom.xml's dependencyManagement against the API listings");
    }
}
