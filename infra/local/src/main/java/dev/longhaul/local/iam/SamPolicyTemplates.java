package dev.longhaul.local.iam;

import dev.longhaul.core.json.Json;
import dev.longhaul.emulators.Intrinsic;
import dev.longhaul.emulators.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * SAM's policy templates ({@code DynamoDBCrudPolicy}, {@code SQSSendMessagePolicy},
 * {@code S3CrudPolicy}...), read from the copy of aws-sam-translator's {@code policy_templates.json}
 * shipped beside this class, and expanded the way its {@code PolicyTemplatesProcessor} does: every
 * {@code Ref} to one of the template's parameters replaced by the value the function gives, every
 * parameter required, nothing else touched (the intrinsics left are CloudFormation's to evaluate).
 */
public final class SamPolicyTemplates {

    /** The aws-sam-translator release the copy comes from. */
    public static final String VERSION = "aws-sam-translator 1.110.0";

    private static final SamPolicyTemplates BUNDLED = load();

    private final Map<String, Map<String, Object>> templates;

    private SamPolicyTemplates(Map<String, Map<String, Object>> templates) {
        this.templates = templates;
    }

    public static SamPolicyTemplates bundled() {
        return BUNDLED;
    }

    public Set<String> names() {
        return new TreeSet<>(templates.keySet());
    }

    public boolean has(String name) {
        return templates.containsKey(name);
    }

    /** The template's parameter names. */
    public Set<String> parameters(String name) {
        return new TreeSet<>(asMap(templates.get(name).get("Parameters")).keySet());
    }

    /**
     * The policy document SAM puts in the role for {@code {name: values}}, intrinsics unevaluated.
     *
     * @throws IllegalArgumentException with SAM's message when a parameter has no value
     */
    public Object expand(String name, Object values) {
        Map<String, Object> template = templates.get(name);
        if (template == null) {
            throw new IllegalArgumentException("No SAM policy template " + name);
        }
        if (!(values instanceof Map<?, ?> given)) {
            throw new IllegalArgumentException("Must specify valid parameter values for policy template '" + name + "'");
        }
        Set<String> parameters = asMap(template.get("Parameters")).keySet();
        List<String> missing = new ArrayList<>();
        for (String parameter : parameters) {
            if (!given.containsKey(parameter)) {
                missing.add(parameter);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Following required parameters of template '" + name
                    + "' don't have values: " + missing);
        }
        Map<String, Object> selected = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            if (parameters.contains(String.valueOf(key))) {
                selected.put(String.valueOf(key), value);
            }
        });
        return substitute(SamTemplate.withIntrinsics(template.get("Definition")), selected);
    }

    /** Replaces each {@code Ref} to a policy parameter; the values themselves are left as given. */
    private static Object substitute(Object value, Map<String, Object> parameters) {
        if (value instanceof Intrinsic.Ref ref) {
            return parameters.containsKey(ref.name()) ? parameters.get(ref.name()) : ref;
        }
        if (value instanceof Intrinsic.Sub sub) {
            Map<String, Object> variables = new LinkedHashMap<>();
            sub.variables().forEach((key, item) -> variables.put(key, substitute(item, parameters)));
            return new Intrinsic.Sub(sub.template(), variables);
        }
        if (value instanceof Intrinsic.Fn fn) {
            return new Intrinsic.Fn(fn.name(), substitute(fn.args(), parameters));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), substitute(item, parameters)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(substitute(item, parameters)));
            return copy;
        }
        return value;
    }

    private static SamPolicyTemplates load() {
        Map<String, Object> root = Json.parseObject(resource("sam-policy-templates.json"));
        Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
        asMap(root.get("Templates")).forEach((name, template) -> templates.put(name, asMap(template)));
        return new SamPolicyTemplates(templates);
    }

    static String resource(String name) {
        try (InputStream in = SamPolicyTemplates.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + name + " beside " + SamPolicyTemplates.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
