package akhbar.elasticsearch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.elasticsearch.plugin.Extensible;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.junit.jupiter.api.Test;

/**
 * named_components.json is written by hand (Elastic's Gradle plugin would generate it). This test
 * keeps it equal to what the {@link NamedComponent} annotations in the compiled classes say, and
 * checks the rules the server applies when it instantiates a component.
 */
class NamedComponentsFileTest {

    private static final Path PLUGIN_DIR = Path.of(System.getProperty("akhbar.plugin.dir", "src/main/plugin"));

    /** {interface class name: {component name: class name}}, as the server expects the file. */
    private static Map<String, Map<String, String>> readFile() throws IOException {
        String json = Files.readString(PLUGIN_DIR.resolve("named_components.json"), StandardCharsets.UTF_8);
        Map<String, Map<String, String>> result = new TreeMap<>();
        Matcher group = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\{([^{}]*)}").matcher(json);
        while (group.find()) {
            Map<String, String> components = new TreeMap<>();
            Matcher entry = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]+)\"").matcher(group.group(2));
            while (entry.find()) {
                assertTrue(components.put(entry.group(1), entry.group(2)) == null, "duplicate " + entry.group(1));
            }
            result.put(group.group(1), components);
        }
        return result;
    }

    /** The same map, built from the annotated classes of this package. */
    private static Map<String, Map<String, String>> scanClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(ArabicStemTokenFilterFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classNames = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().equals("package-info.class"))
                .forEach(p -> {
                    String relative = root.relativize(p).toString();
                    classNames.add(relative.substring(0, relative.length() - ".class".length()).replace('/', '.'));
                });
        }
        Map<String, Map<String, String>> result = new TreeMap<>();
        for (String className : classNames) {
            Class<?> type = Class.forName(className);
            NamedComponent named = type.getAnnotation(NamedComponent.class);
            if (named == null) {
                continue;
            }
            for (Class<?> extensible : type.getInterfaces()) {
                if (extensible.isAnnotationPresent(Extensible.class)) {
                    String previous = result.computeIfAbsent(extensible.getName(), k -> new TreeMap<>()).put(named.value(), className);
                    assertEquals(null, previous, "two classes named " + named.value());
                }
            }
        }
        return result;
    }

    @Test
    void fileMatchesAnnotations() throws Exception {
        assertEquals(scanClasses(), readFile());
    }

    @Test
    void componentsAreInstantiableByTheServer() throws Exception {
        for (Map<String, String> components : readFile().values()) {
            for (Map.Entry<String, String> component : components.entrySet()) {
                Class<?> type = Class.forName(component.getValue());
                assertTrue(Modifier.isPublic(type.getModifiers()), type + " must be public");
                assertTrue(component.getKey().startsWith("akhbar_"), component.getKey() + " must start with akhbar_");
                Constructor<?>[] constructors = type.getConstructors();
                assertEquals(1, constructors.length, type + " must have exactly one public constructor");
                Constructor<?> constructor = constructors[0];
                assertTrue(
                    constructor.getParameterCount() == 0 || constructor.isAnnotationPresent(Inject.class),
                    type + ": a constructor with parameters needs @Inject"
                );
            }
        }
    }

    @Test
    void descriptorHasTheStableKeys() throws IOException {
        String descriptor = Files.readString(PLUGIN_DIR.resolve("stable-plugin-descriptor.properties"), StandardCharsets.UTF_8);
        for (String key : List.of("name", "description", "version", "elasticsearch.version", "java.version")) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(key) + "=\\S").matcher(descriptor).find(), "missing " + key);
        }
        for (String key : List.of("classname", "modulename")) {
            assertTrue(!Pattern.compile("(?m)^" + Pattern.quote(key) + "=").matcher(descriptor).find(), key + " is refused for stable plugins");
        }
    }
}
