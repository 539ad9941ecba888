import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedTypeVariable;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API check of gevent4j's published artifacts (a listing in the spirit of Kotlin's
 * binary-compatibility-validator, for Maven). Run by exec-maven-plugin in the process-test-classes phase of
 * gevent4j-api, gevent4j-kotlin and gevent4j-test, with the module's classpath:
 *
 * <pre>java -cp CLASSPATH build-tools/ApiCheck.java CLASSES_DIR API_FILE ARTIFACT_ID UPDATE</pre>
 *
 * It lists the annotations of every package (its package-info: JSpecify's {@code @NullMarked}) and every public or
 * protected class of CLASSES_DIR outside the {@code internal} packages, with its public and
 * protected constructors, methods and fields as the JVM sees them (generic signatures, type-use annotations such as
 * JSpecify's {@code @Nullable}, throws clauses, constant values), one line each, classes and members sorted. Kotlin
 * declarations that are {@code internal} are left out: their members' JVM names carry a {@code $} (mangled), and
 * internal classes and top-level functions are recognised with kotlin-reflect, which must then be on the classpath.
 * Synthetic and bridge members are left out. The listing is compared with API_FILE; a difference fails with the diff
 * and the command that rewrites API_FILE (UPDATE = true).
 */
public final class ApiCheck {
    private ApiCheck() {
    }

    /** Classes in the order of their names (then of the whole line, for a stable order). */
    private static final java.util.Comparator<String> BY_NAME =
            java.util.Comparator.comparing(ApiCheck::className).thenComparing(java.util.Comparator.naturalOrder());

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ApiCheck CLASSES_DIR API_FILE ARTIFACT_ID UPDATE");
            System.exit(2);
        }
        Path classes = Path.of(args[0]);
        Path apiFile = Path.of(args[1]);
        String module = args[2];
        boolean update = Boolean.parseBoolean(args[3]);
        Map<String, List<String>> api = listing(classes);
        String text = render(api);
        if (update) {
            Files.createDirectories(apiFile.toAbsolutePath().getParent());
            Files.writeString(apiFile, text, StandardCharsets.UTF_8);
            System.out.println("gevent4j API check: wrote " + apiFile + " (" + api.size() + " classes)");
            return;
        }
        String command = "mvn -B -pl :" + module + " -am process-test-classes -Dgevent4j.api.update=true";
        if (!Files.exists(apiFile)) {
            System.err.println("gevent4j API check: " + apiFile + " is missing. Write it with\n  " + command
                    + "\nand commit it.");
            System.exit(1);
        }
        Map<String, List<String>> committed = parse(Files.readString(apiFile, StandardCharsets.UTF_8));
        String diff = diff(committed, api);
        if (!diff.isEmpty()) {
            System.err.println("gevent4j API check FAILED: the public API of " + module + " differs from the committed "
                    + "listing " + apiFile + "\n(- committed, + now):\n" + diff
                    + "If the change is intended (README, 'API listings'), rewrite the "
                    + "listing with\n  " + command + "\nand commit " + apiFile + " with the change.");
            System.exit(1);
        }
        System.out.println("gevent4j API check: " + module + " matches " + apiFile + " (" + api.size() + " classes)");
    }

    // ---- listing ---------------------------------------------------------------------------------------------

    static Map<String, List<String>> listing(Path classes) throws IOException, ClassNotFoundException {
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class")
                            && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().collect(Collectors.toList());
        }
        Map<String, List<String>> api = new TreeMap<>(BY_NAME);
        ClassLoader loader = ApiCheck.class.getClassLoader();
        // Packages: their annotations are API too (JSpecify's @NullMarked decides what Kotlin sees of every type)
        try (Stream<Path> files = Files.walk(classes)) {
            for (String info : files.map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith("/package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().collect(Collectors.toList())) {
                String pkg = info.substring(0, info.length() - ".package-info".length());
                if (isInternalPackage(pkg)) {
                    continue;
                }
                List<String> annotations = new ArrayList<>();
                for (Annotation a : Class.forName(info, false, loader).getAnnotations()) {
                    annotations.add("@" + a.annotationType().getName());
                }
                annotations.sort(null);
                api.put("package " + pkg, annotations);
            }
        }
        for (String name : names) {
            Class<?> c = Class.forName(name, false, loader);
            if (!visible(c) || isInternalPackage(c.getPackageName()) || Kotlin.isInternal(c)) {
                continue;
            }
            List<String> members = new ArrayList<>();
            for (Field f : c.getDeclaredFields()) {
                if (shown(f.getModifiers()) && !f.isSynthetic() && !f.getName().contains("$")) {
                    members.add(field(f));
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (shown(k.getModifiers()) && !k.isSynthetic()) {
                    members.add(executable(k, "<init>", null));
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (shown(m.getModifiers()) && !m.isSynthetic() && !m.isBridge() && !m.getName().contains("$")
                        && !Kotlin.isInternal(m)) {
                    members.add(executable(m, m.getName(), m) + Kotlin.signature(m));
                }
            }
            members.sort(null);
            api.put(header(c), members);
        }
        return api;
    }

    private static boolean isInternalPackage(String pkg) {
        return pkg.equals("internal") || pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    /** Public or protected, and so are all its enclosing classes; not anonymous, local or synthetic. */
    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!shown(k.getModifiers()) || k.isSynthetic() || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean shown(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String header(Class<?> c) {
        StringBuilder b = new StringBuilder();
        int mod = c.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL
                | Modifier.ABSTRACT);
        String kind;
        if (c.isAnnotation()) {
            kind = "@interface";
            mod &= ~(Modifier.ABSTRACT);
        } else if (c.isInterface()) {
            kind = "interface";
            mod &= ~(Modifier.ABSTRACT);
        } else if (c.isEnum()) {
            kind = "enum";
        } else if (c.isRecord()) {
            kind = "record";
        } else {
            kind = "class";
        }
        if (c.isInterface() || c.isRecord() || c.isEnum()) {
            mod &= ~Modifier.STATIC;
        }
        String m = Modifier.toString(mod);
        b.append(m).append(m.isEmpty() ? "" : " ");
        if (c.isSealed()) {
            b.append("sealed ");
        }
        b.append(kind).append(' ').append(c.getName()).append(typeParameters(c.getTypeParameters()));
        AnnotatedType sup = c.getAnnotatedSuperclass();
        if (sup != null && !c.isEnum() && !c.isRecord() && sup.getType() != Object.class) {
            b.append(" extends ").append(type(sup));
        }
        AnnotatedType[] ifaces = c.getAnnotatedInterfaces();
        if (ifaces.length > 0) {
            b.append(c.isInterface() ? " extends " : " implements ");
            b.append(join(ifaces));
        }
        return b.toString();
    }

    private static String field(Field f) {
        String m = Modifier.toString(f.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
                | Modifier.FINAL));
        String s = m + " " + type(f.getAnnotatedType()) + " " + f.getName();
        int constant = Modifier.STATIC | Modifier.FINAL;
        if ((f.getModifiers() & constant) == constant && (f.getType().isPrimitive() || f.getType() == String.class)) {
            try {
                f.setAccessible(true);
                Object v = f.get(null);
                s += " = " + (v instanceof String ? '"' + (String) v + '"' : String.valueOf(v));
            } catch (ReflectiveOperationException | RuntimeException | ExceptionInInitializerError e) {
                // not a constant we can read without initialising the class: the type is listed all the same
            }
        }
        return s;
    }

    private static String executable(Executable e, String name, Method method) {
        StringBuilder b = new StringBuilder();
        int mod = e.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL
                | Modifier.ABSTRACT);
        if (e.getDeclaringClass().isInterface()) {
            mod &= ~Modifier.PUBLIC; // implied
        }
        String m = Modifier.toString(mod);
        b.append(m).append(m.isEmpty() ? "" : " ");
        if (method != null && method.isDefault()) {
            b.append("default ");
        }
        String tp = typeParameters(e.getTypeParameters());
        if (!tp.isEmpty()) {
            b.append(tp).append(' ');
        }
        if (method != null) {
            b.append(type(method.getAnnotatedReturnType())).append(' ');
        }
        b.append(name).append('(');
        AnnotatedType[] params = e.getAnnotatedParameterTypes();
        if (params.length == e.getParameterCount()) {
            b.append(join(params));
        } else { // an inner class's constructor: the generic signature omits the outer instance
            b.append(java.util.Arrays.stream(e.getParameterTypes()).map(Class::getTypeName)
                    .collect(Collectors.joining(", ")));
        }
        b.append(')');
        AnnotatedType[] throwsTypes = e.getAnnotatedExceptionTypes();
        if (throwsTypes.length > 0) {
            b.append(" throws ").append(join(throwsTypes));
        }
        return b.toString().strip();
    }

    private static String typeParameters(TypeVariable<?>[] vars) {
        if (vars.length == 0) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (TypeVariable<?> v : vars) {
            String s = annotations(v.getAnnotations()) + v.getName();
            AnnotatedType[] bounds = v.getAnnotatedBounds();
            boolean plainObject = bounds.length == 1 && bounds[0].getType() == Object.class
                    && bounds[0].getAnnotations().length == 0;
            if (!plainObject) {
                s += " extends " + java.util.Arrays.stream(bounds).map(ApiCheck::type).collect(Collectors.joining(" & "));
            }
            out.add(s);
        }
        return "<" + String.join(", ", out) + ">";
    }

    private static String join(AnnotatedType[] types) {
        return java.util.Arrays.stream(types).map(ApiCheck::type).collect(Collectors.joining(", "));
    }

    /** A type as written in Java source, type-use annotations included ({@code byte @Nullable []}, {@code @Nullable T}). */
    static String type(AnnotatedType t) {
        String ann = annotations(t.getAnnotations());
        if (t instanceof AnnotatedArrayType a) {
            return type(a.getAnnotatedGenericComponentType()) + (ann.isEmpty() ? "" : " " + ann.strip() + " ") + "[]";
        }
        if (t instanceof AnnotatedTypeVariable) {
            return ann + ((TypeVariable<?>) t.getType()).getName();
        }
        if (t instanceof AnnotatedWildcardType w) {
            AnnotatedType[] upper = w.getAnnotatedUpperBounds();
            AnnotatedType[] lower = w.getAnnotatedLowerBounds();
            if (lower.length > 0) {
                return ann + "? super " + join(lower);
            }
            if (upper.length == 0 || (upper[0].getType() == Object.class && upper[0].getAnnotations().length == 0)) {
                return ann + "?";
            }
            return ann + "? extends " + join(upper);
        }
        if (t instanceof AnnotatedParameterizedType p) {
            java.lang.reflect.ParameterizedType pt = (java.lang.reflect.ParameterizedType) p.getType();
            return ann + ((Class<?>) pt.getRawType()).getName() + "<" + join(p.getAnnotatedActualTypeArguments()) + ">";
        }
        Class<?> c = (Class<?>) t.getType();
        return ann + c.getName();
    }

    private static String annotations(Annotation[] annotations) {
        StringBuilder b = new StringBuilder();
        for (Annotation a : annotations) {
            String n = a.annotationType().getName();
            b.append('@').append(n.startsWith("org.jspecify.annotations.") ? a.annotationType().getSimpleName() : n)
                    .append(' ');
        }
        return b.toString();
    }

    // ---- the file: a class line, its members indented by two spaces, a blank line between classes ------------

    static String render(Map<String, List<String>> api) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> e : api.entrySet()) {
            b.append(e.getKey()).append(" {\n");
            for (String m : e.getValue()) {
                b.append("  ").append(m).append('\n');
            }
            b.append("}\n\n");
        }
        return b.toString();
    }

    static Map<String, List<String>> parse(String text) {
        Map<String, List<String>> api = new TreeMap<>(BY_NAME);
        List<String> current = null;
        for (String line : text.split("\n", -1)) {
            if (line.isBlank() || line.equals("}")) {
                continue;
            }
            if (line.startsWith("  ") && current != null) {
                current.add(line.substring(2));
            } else {
                current = new ArrayList<>();
                api.put(line.endsWith(" {") ? line.substring(0, line.length() - 2) : line, current);
            }
        }
        return api;
    }

    /** Per class, keyed by its name: removed and added classes, then the members that differ, with the class as context. */
    static String diff(Map<String, List<String>> before, Map<String, List<String>> after) {
        Map<String, String> beforeByName = byName(before);
        Map<String, String> afterByName = byName(after);
        java.util.SortedSet<String> names = new java.util.TreeSet<>(beforeByName.keySet());
        names.addAll(afterByName.keySet());
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            String h0 = beforeByName.get(n);
            String h1 = afterByName.get(n);
            if (h1 == null) {
                b.append("- ").append(h0).append("  (class removed)\n");
                continue;
            }
            if (h0 == null) {
                b.append("+ ").append(h1).append("  (class added)\n");
                for (String m : after.get(h1)) {
                    b.append("+     ").append(m).append('\n');
                }
                continue;
            }
            List<String> m0 = before.get(h0);
            List<String> m1 = after.get(h1);
            List<String> removed = m0.stream().filter(m -> !m1.contains(m)).collect(Collectors.toList());
            List<String> added = m1.stream().filter(m -> !m0.contains(m)).collect(Collectors.toList());
            if (h0.equals(h1) && removed.isEmpty() && added.isEmpty()) {
                continue;
            }
            if (h0.equals(h1)) {
                b.append("  ").append(h0).append('\n');
            } else {
                b.append("- ").append(h0).append('\n').append("+ ").append(h1).append('\n');
            }
            removed.forEach(m -> b.append("-     ").append(m).append('\n'));
            added.forEach(m -> b.append("+     ").append(m).append('\n'));
        }
        return b.toString();
    }

    private static Map<String, String> byName(Map<String, List<String>> api) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String header : api.keySet()) {
            out.put(className(header), header);
        }
        return out;
    }

    private static String className(String header) {
        for (String kind : new String[] {"package ", "class ", "interface ", "enum ", "record ", "@interface "}) {
            int i = header.indexOf(kind);
            if (i == 0 || (i > 0 && header.charAt(i - 1) == ' ')) {
                String rest = header.substring(i + kind.length());
                int end = rest.indexOf(' ');
                int generic = rest.indexOf('<');
                if (generic >= 0 && (end < 0 || generic < end)) {
                    end = generic;
                }
                return end < 0 ? rest : rest.substring(0, end);
            }
        }
        return header;
    }

    // ---- Kotlin: internal declarations, through kotlin-reflect -------------------------------------------------

    /** Kotlin's view of visibility; only classes that carry {@code @kotlin.Metadata} are asked. */
    static final class Kotlin {
        private static final Map<Class<?>, Integer> KIND = new java.util.HashMap<>();

        private Kotlin() {
        }

        @SuppressWarnings("unchecked")
        private static int kind(Class<?> c) {
            return KIND.computeIfAbsent(c, k -> {
                try {
                    Class<? extends Annotation> metadata = (Class<? extends Annotation>) Class.forName(
                            "kotlin.Metadata", false, k.getClassLoader());
                    Annotation a = k.getAnnotation(metadata);
                    return a == null ? 0 : (Integer) metadata.getMethod("k").invoke(a);
                } catch (ClassNotFoundException e) {
                    return 0; // no Kotlin on the classpath: a Java module
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** An {@code internal} or {@code private} Kotlin class (kind 1). */
        static boolean isInternal(Class<?> c) {
            if (kind(c) != 1) {
                return false;
            }
            Object kClass = call("kotlin.jvm.JvmClassMappingKt", "getKotlinClass", Class.class, c);
            Object visibility = invoke(kClass, "kotlin.reflect.KClass", "getVisibility");
            return visibility != null && !isPublicOrProtected(visibility);
        }

        /**
         * An {@code internal} or {@code private} top-level function of a Kotlin file facade (kind 2) or of a
         * multi-file facade (kind 4, {@code @JvmMultifileClass}: asked of the part that declares it).
         */
        static boolean isInternal(Method m) {
            int kind = kind(m.getDeclaringClass());
            if (kind != 2 && kind != 4) {
                return false;
            }
            Object function = function(m, kind);
            if (function == null) {
                return false; // a property accessor or a synthetic helper: listed
            }
            Object visibility = invoke(function, "kotlin.reflect.KCallable", "getVisibility");
            return visibility != null && !isPublicOrProtected(visibility);
        }

        /** kotlin-reflect's KFunction of a method of a Kotlin class or file facade, or null where it has none. */
        private static Object function(Method m, int kind) {
            Object function = call("kotlin.reflect.jvm.ReflectJvmMapping", "getKotlinFunction", Method.class, m);
            if (function == null && kind == 4) {
                for (Class<?> part : parts(m.getDeclaringClass())) {
                    try {
                        Method p = part.getDeclaredMethod(m.getName(), m.getParameterTypes());
                        function = call("kotlin.reflect.jvm.ReflectJvmMapping", "getKotlinFunction", Method.class, p);
                        break;
                    } catch (NoSuchMethodException e) {
                        // declared in another part
                    }
                }
            }
            return function;
        }

        /**
         * Kotlin's own signature of a public function (kotlin-reflect's rendering: receiver, parameters, return type
         * with their nullability, {@code suspend}) or of the class property it accesses, appended to the JVM line as a
         * comment, or "" for a Java class, a top-level property's accessor or a function kotlin-reflect cannot map. It makes a change from {@code T} to {@code T?}
         * fail the check, which the JVM signature alone cannot show.
         */
        static String signature(Method m) {
            int kind = kind(m.getDeclaringClass());
            if (kind != 1 && kind != 2 && kind != 4) {
                return "";
            }
            try {
                Object function = function(m, kind);
                if (function == null && kind == 1) {
                    function = property(m);
                }
                return function == null ? "" : "  // kotlin: " + function;
            } catch (RuntimeException e) {
                return ""; // kotlin-reflect does not know it (a synthetic or multi-file helper): the JVM line stands
            }
        }

        /**
         * The property of a Kotlin class whose getter or setter is {@code m} (rendered as {@code val}/{@code var}
         * with its type's nullability), or null. Top-level properties of file facades are not resolved: kotlin-reflect
         * has no class for a facade.
         */
        private static Object property(Method m) {
            Object kClass = call("kotlin.jvm.JvmClassMappingKt", "getKotlinClass", Class.class, m.getDeclaringClass());
            Object members = invoke(kClass, "kotlin.reflect.KClass", "getMembers");
            if (!(members instanceof java.util.Collection<?> all)) {
                return null;
            }
            try {
                Class<?> property = Class.forName("kotlin.reflect.KProperty");
                Class<?> mutable = Class.forName("kotlin.reflect.KMutableProperty");
                for (Object p : all) {
                    if (!property.isInstance(p)) {
                        continue;
                    }
                    if (m.equals(call("kotlin.reflect.jvm.ReflectJvmMapping", "getJavaGetter", property, p))
                            || (mutable.isInstance(p)
                                    && m.equals(call("kotlin.reflect.jvm.ReflectJvmMapping", "getJavaSetter", mutable, p)))) {
                        return p;
                    }
                }
                return null;
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The part classes of a multi-file facade: its metadata's {@code d1} names them. */
        @SuppressWarnings("unchecked")
        private static List<Class<?>> parts(Class<?> facade) {
            try {
                Class<? extends Annotation> metadata = (Class<? extends Annotation>) Class.forName(
                        "kotlin.Metadata", false, facade.getClassLoader());
                String[] names = (String[]) metadata.getMethod("d1").invoke(facade.getAnnotation(metadata));
                List<Class<?>> out = new ArrayList<>();
                for (String n : names) {
                    out.add(Class.forName(n.replace('/', '.'), false, facade.getClassLoader()));
                }
                return out;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("gevent4j API check: cannot read the parts of " + facade, e);
            }
        }

        private static boolean isPublicOrProtected(Object visibility) {
            String v = visibility.toString();
            return v.equals("PUBLIC") || v.equals("PROTECTED");
        }

        private static Object call(String owner, String method, Class<?> parameter, Object argument) {
            try {
                return Class.forName(owner).getMethod(method, parameter).invoke(null, argument);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("gevent4j API check: Kotlin classes found but kotlin-reflect is not on "
                        + "the classpath (" + owner + "); add org.jetbrains.kotlin:kotlin-reflect with test scope", e);
            } catch (java.lang.reflect.InvocationTargetException e) {
                // kotlin-reflect cannot map every function of a multi-file class part (it fails on another function
                // of the part while it searches): the declaration cannot be told internal, so it is listed
                if (e.getCause() instanceof Error && e.getCause().getClass().getName().startsWith("kotlin.reflect.")) {
                    return null;
                }
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Object invoke(Object target, String iface, String method) {
            try {
                return Class.forName(iface).getMethod(method).invoke(target);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof UnsupportedOperationException) {
                    return null; // kotlin-reflect does not know (a synthetic class): listed
                }
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
