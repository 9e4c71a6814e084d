package dev.longhaul.local.iam;

import dev.longhaul.local.iam.guest.IamInterceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The code location the local cloud adds to each function's class path: {@link IamInterceptor}'s
 * class file and the SDK's global interceptor list naming it
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), written once per JVM to a
 * temporary directory. Loaded by the function's own class loader, the interceptor is compiled
 * against the function's SDK; the engine reaches it only through JDK types.
 */
public final class GuestCode {

    static final String INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";
    private static final String INTERCEPTOR = IamInterceptor.class.getName();
    private static final String SDK_INTERCEPTOR = "software/amazon/awssdk/core/interceptor/ExecutionInterceptor.class";

    private static Path location;

    private GuestCode() {
    }

    /** The directory to put on a function's class path. */
    public static synchronized URL url() {
        if (location == null) {
            location = write();
        }
        try {
            return location.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Connects the interceptor of the function whose class loader is {@code loader} to its guard.
     * A function without the AWS SDK makes no AWS call: nothing to connect, false.
     */
    public static boolean connect(ClassLoader loader, Function<Map<String, String>, Map<String, String>> guard) {
        if (loader.getResource(SDK_INTERCEPTOR) == null) {
            return false;
        }
        try {
            Class<?> interceptor = Class.forName(INTERCEPTOR, true, loader);
            if (interceptor.getClassLoader() != loader) {
                throw new IllegalStateException(INTERCEPTOR + " was loaded by " + interceptor.getClassLoader()
                        + ", not the function's loader: the function's code must not bundle it");
            }
            interceptor.getMethod("connect", Function.class).invoke(null, guard);
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("Cannot connect the IAM interceptor: " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Cannot connect the IAM interceptor: " + e.getCause(), e.getCause());
        }
    }

    private static Path write() {
        try {
            Path directory = Files.createTempDirectory("longhaul-iam-guest");
            String classFile = INTERCEPTOR.replace('.', '/') + ".class";
            Path target = directory.resolve(classFile);
            Files.createDirectories(target.getParent());
            try (InputStream in = GuestCode.class.getClassLoader().getResourceAsStream(classFile)) {
                if (in == null) {
                    throw new IllegalStateException("Missing " + classFile + " on the local cloud's class path");
                }
                Files.copy(in, target);
            }
            Path list = directory.resolve(INTERCEPTORS);
            Files.createDirectories(list.getParent());
            Files.writeString(list, INTERCEPTOR + "\n", StandardCharsets.UTF_8);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "iam-guest-cleanup"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the IAM interceptor's code location", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the system cleans it eventually
        }
    }
}
