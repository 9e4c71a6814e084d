package dev.longhaul.api.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The HTTP API routes template.yaml declares, as {@code "POST /v1/tasks"}. */
final class SamRoutes {
    private SamRoutes() {
    }

    static Set<String> load(Path template) {
        try {
            return parse(Files.readString(template, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
    }

    static Set<String> parse(String yaml) {
        Map<String, Object> root = OpenApiDocument.map(new Yaml(new CloudFormationConstructor()).load(yaml));
        Set<String> routes = new LinkedHashSet<>();
        OpenApiDocument.map(root.get("Resources")).forEach((logicalId, resource) -> {
            Map<String, Object> r = OpenApiDocument.map(resource);
            Object properties = r.get("Properties");
            if (!"AWS::Serverless::Function".equals(r.get("Type")) || properties == null) {
                return;
            }
            Object events = OpenApiDocument.map(properties).get("Events");
            if (events == null) {
                return;
            }
            OpenApiDocument.map(events).forEach((name, event) -> {
                Map<String, Object> e = OpenApiDocument.map(event);
                if ("HttpApi".equals(e.get("Type"))) {
                    Map<String, Object> p = OpenApiDocument.map(e.get("Properties"));
                    routes.add(String.valueOf(p.get("Method")).toUpperCase(Locale.ROOT) + " " + p.get("Path"));
                }
            });
        });
        return routes;
    }

    /**
     * SnakeYAML's safe constructor plus every {@code !Tag} short form of CloudFormation
     * ({@code !Ref}, {@code !GetAtt}, {@code !Sub}...), read as {@code {"Fn::Tag": value}}.
     */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(tag.equals("Ref") ? "Ref" : "Fn::" + tag, value);
                }
            });
        }
    }
}
