package dev.longhaul.emulators;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A CloudFormation intrinsic function as read from a template. The short form ({@code !GetAtt A.B})
 * and the long form ({@code {"Fn::GetAtt": ["A", "B"]}}) read to equal values.
 */
public sealed interface Intrinsic permits Intrinsic.Ref, Intrinsic.GetAtt, Intrinsic.Sub, Intrinsic.Fn {

    /** {@code !Ref name}: a parameter, a pseudo-parameter such as {@code AWS::Region}, or a resource. */
    record Ref(String name) implements Intrinsic {
        public Ref {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code !GetAtt resource.attribute}; the attribute may itself contain dots. */
    record GetAtt(String resource, String attribute) implements Intrinsic {
        public GetAtt {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(attribute, "attribute");
        }
    }

    /** {@code !Sub template} or {@code !Sub [template, variables]}. */
    record Sub(String template, Map<String, Object> variables) implements Intrinsic {
        public Sub {
            Objects.requireNonNull(template, "template");
            variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        }
    }

    /**
     * Every other function, named by its long form ({@code Fn::Join}, {@code Fn::If}, ... and
     * {@code Condition}); {@code args} is what followed the tag: a string, a list or a map.
     */
    record Fn(String name, Object args) implements Intrinsic {
        public Fn {
            Objects.requireNonNull(name, "name");
        }
    }
}
