package dev.longhaul.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A SAM (or plain CloudFormation) template read into plain maps, lists and scalars, with the
 * intrinsic functions as {@link Intrinsic} values. It evaluates nothing: {@link Stack#resolve}
 * does, once resources exist.
 */
public final class SamTemplate {

    public static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";

    private static final List<String> SHORT_FORMS = List.of(
            "Ref", "GetAtt", "Sub", "Join", "Select", "If", "Equals", "Not", "Split", "FindInMap",
            "ImportValue", "Base64", "Condition", "And", "Or", "GetAZs", "Cidr");

    private final Map<String, Object> root;
    private final Map<String, Parameter> parameters;
    private final Map<String, Resource> resources;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        section("Parameters").forEach((name, definition) -> {
            Map<String, Object> fields = asMap(definition, "Parameters." + name);
            Object defaultValue = fields.get("Default");
            parameters.put(name, new Parameter(name, String.valueOf(fields.getOrDefault("Type", "String")),
                    defaultValue == null ? null : scalarText(defaultValue)));
        });
        this.parameters = Collections.unmodifiableMap(parameters);
        Map<String, Resource> resources = new LinkedHashMap<>();
        section("Resources").forEach((logicalId, definition) -> {
            Map<String, Object> fields = asMap(definition, "Resources." + logicalId);
            Object type = fields.get("Type");
            if (!(type instanceof String)) {
                throw new IllegalArgumentException("Resource " + logicalId + " has no Type");
            }
            Object properties = fields.get("Properties");
            Object dependsOn = fields.get("DependsOn");
            List<String> dependencies = new ArrayList<>();
            if (dependsOn instanceof List<?> list) {
                list.forEach(item -> dependencies.add(String.valueOf(item)));
            } else if (dependsOn != null) {
                dependencies.add(String.valueOf(dependsOn));
            }
            Object condition = fields.get("Condition");
            resources.put(logicalId, new Resource(logicalId, (String) type,
                    properties == null ? Map.of() : asMap(properties, "Resources." + logicalId + ".Properties"),
                    dependencies, condition == null ? null : String.valueOf(condition)));
        });
        this.resources = Collections.unmodifiableMap(resources);
    }

    public static SamTemplate load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read template " + path, e);
        }
    }

    public static SamTemplate parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object loaded = new Yaml(new TemplateConstructor(options)).load(yaml);
        if (!(loaded instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("A template is a mapping at its top level");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) readLongForms(loaded);
        return new SamTemplate(root);
    }

    /** Parameters in template order, with their defaults. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** Resources in template order, by logical id. */
    public Map<String, Resource> resources() {
        return resources;
    }

    public Resource resource(String logicalId) {
        Resource resource = resources.get(logicalId);
        if (resource == null) {
            throw new NoSuchElementException("No resource " + logicalId + " in the template");
        }
        return resource;
    }

    /** {@code Globals.Function}, empty when the template has none. */
    public Map<String, Object> globalFunction() {
        return asMap(section("Globals").getOrDefault("Function", Map.of()), "Globals.Function");
    }

    public Map<String, Object> conditions() {
        return section("Conditions");
    }

    public Map<String, Object> mappings() {
        return section("Mappings");
    }

    public Map<String, Object> outputs() {
        return section("Outputs");
    }

    /** The template's top-level {@code Metadata}, empty when it has none. */
    public Map<String, Object> metadata() {
        return section("Metadata");
    }

    /**
     * A function's properties with {@code Globals.Function} merged in the way SAM does it: maps merge
     * key by key (so environment variables add up, the function's own winning), lists add up with the
     * global entries first, and any other value of the function replaces the global one.
     */
    public Map<String, Object> functionProperties(String logicalId) {
        Resource function = resource(logicalId);
        if (!SERVERLESS_FUNCTION.equals(function.type())) {
            throw new IllegalArgumentException(logicalId + " is a " + function.type() + ", not a "
                    + SERVERLESS_FUNCTION);
        }
        return asMap(merge(globalFunction(), function.properties()), "merged properties");
    }

    private static Object merge(Object global, Object local) {
        if (global instanceof Map<?, ?> globalMap && local instanceof Map<?, ?> localMap) {
            Map<Object, Object> merged = new LinkedHashMap<>(globalMap);
            localMap.forEach((key, value) -> merged.merge(key, value, SamTemplate::merge));
            return Collections.unmodifiableMap(merged);
        }
        if (global instanceof List<?> globalList && local instanceof List<?> localList) {
            List<Object> merged = new ArrayList<>(globalList);
            merged.addAll(localList);
            return Collections.unmodifiableList(merged);
        }
        return local;
    }

    private Map<String, Object> section(String name) {
        Object section = root.get(name);
        return section == null ? Map.of() : asMap(section, name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + " must be a mapping, not " + value);
    }

    private static String scalarText(Object value) {
        if (value instanceof List<?> list) {
            // A CommaDelimitedList default may be written as a YAML list.
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /**
     * A JSON-like value (maps, lists, scalars) with its {@code {"Ref": x}} and {@code {"Fn::...": x}}
     * maps read as {@link Intrinsic} values, as a template's own are: for fragments that come from
     * elsewhere, such as SAM's policy templates, so that {@link Stack#resolve} evaluates them.
     */
    public static Object withIntrinsics(Object value) {
        return readLongForms(value);
    }

    /** Turns {@code {"Ref": x}} and {@code {"Fn::...": x}} maps into {@link Intrinsic} values, everywhere. */
    private static Object readLongForms(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return intrinsic(key.equals("Ref") ? "Ref" : key.substring(4), readLongForms(only.getValue()));
                }
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), readLongForms(item)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(readLongForms(item)));
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Intrinsic.Sub sub) {
            return new Intrinsic.Sub(sub.template(), asMap(readLongForms(sub.variables()), "Fn::Sub variables"));
        }
        if (value instanceof Intrinsic.Fn fn) {
            return new Intrinsic.Fn(fn.name(), readLongForms(fn.args()));
        }
        return value;
    }

    /** Builds the intrinsic for a short name ({@code GetAtt}, {@code Join}...) and its argument. */
    private static Intrinsic intrinsic(String shortName, Object args) {
        switch (shortName) {
            case "Ref":
                return new Intrinsic.Ref(String.valueOf(args));
            case "GetAtt":
                if (args instanceof List<?> list && list.size() == 2) {
                    return new Intrinsic.GetAtt(String.valueOf(list.get(0)), String.valueOf(list.get(1)));
                }
                String dotted = String.valueOf(args);
                int dot = dotted.indexOf('.');
                if (dot <= 0 || dot == dotted.length() - 1) {
                    throw new IllegalArgumentException("Fn::GetAtt needs Resource.Attribute, got " + args);
                }
                return new Intrinsic.GetAtt(dotted.substring(0, dot), dotted.substring(dot + 1));
            case "Sub":
                if (args instanceof String template) {
                    return new Intrinsic.Sub(template, Map.of());
                }
                if (args instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String template) {
                    return new Intrinsic.Sub(template, asMap(list.get(1), "Fn::Sub variables"));
                }
                throw new IllegalArgumentException("Fn::Sub takes a string or [string, map], got " + args);
            case "Condition":
                return new Intrinsic.Fn("Condition", args);
            default:
                return new Intrinsic.Fn("Fn::" + shortName, args);
        }
    }

    /** SnakeYAML's safe constructor plus the CloudFormation short-form tags. */
    private static final class TemplateConstructor extends SafeConstructor {

        TemplateConstructor(LoaderOptions options) {
            super(options);
            for (String shortName : SHORT_FORMS) {
                yamlConstructors.put(new Tag("!" + shortName), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        return intrinsic(shortName, constructUntagged(node));
                    }
                });
            }
            // CloudFormation reads dates such as 2010-09-09 as strings, not timestamps.
            yamlConstructors.put(Tag.TIMESTAMP, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return constructScalar((ScalarNode) node);
                }
            });
        }

        private Object constructUntagged(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return constructSequence(sequence);
            }
            return constructMapping((MappingNode) node);
        }
    }

    /** A template parameter; {@link #defaultValue()} is empty when the template gives no default. */
    public static final class Parameter {
        private final String name;
        private final String type;
        private final String defaultValue;

        Parameter(String name, String type, String defaultValue) {
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
        }

        public String name() {
            return name;
        }

        public String type() {
            return type;
        }

        public Optional<String> defaultValue() {
            return Optional.ofNullable(defaultValue);
        }

        @Override
        public String toString() {
            return "Parameter[" + name + ": " + type + (defaultValue == null ? "" : " = " + defaultValue) + "]";
        }
    }

    /** A resource as written: its properties are unevaluated. */
    public record Resource(String logicalId, String type, Map<String, Object> properties, List<String> dependsOn,
                           String condition) {
        public Resource {
            dependsOn = List.copyOf(dependsOn);
        }

        /** The name of the condition that guards this resource, if any. */
        public Optional<String> conditionName() {
            return Optional.ofNullable(condition);
        }
    }
}
