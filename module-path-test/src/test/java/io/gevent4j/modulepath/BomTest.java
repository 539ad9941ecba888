package io.gevent4j.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * artifact has an API listing ({@code <module>/api/<artifactId>.api}, checked by the build), so the listings name the
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

    @Test
    @DisplayName("the BOM's version is the build's")
    void versionIsTheReactors() throws Exception {
        assertEquals(System.getProperty("gevent4j.version"), child(bom(), "version"), "bom/pom.xml <version>");
    }

    @Test
    @DisplayName(
            "the BOM manages exactly the published artifacts (those with an API listing), each at the BOM's version")
    void managesEveryPublishedArtifact() throws Exception {
        Set<String> listed = published();
        assertFalse(listed.isEmpty(), "no API listing found under " + root());
        Set<String> managed = new TreeSet<>();
        NodeList deps = bom().getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertEquals("io.gevent4j", child(d, "groupId"), "groupId of " + child(d, "artifactId"));
            assertEquals("${project.version}", child(d, "version"), "version of " + child(d, "artifactId"));
            managed.add(child(d, "artifactId"));
        }
        assertEquals(listed, managed, "bom/pom.xml's dependencyManagement against the API listings");
    }
}
