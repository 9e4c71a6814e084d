package dev.longhaul.bench.launcher;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Lambda runtime does for one cold start, in a fresh JVM: load and construct the
 * handler, then invoke it once with an event file. Milestones go to stderr as
 * {@code @@bench name nanoTime} lines; {@code System.nanoTime} is the system-wide monotonic clock
 * on Linux, so the harness subtracts its own launch instant from them.
 *
 * <p>Usage: {@code Launcher <handler class> <event file> [<priming class> | -] [heap]}. With a
 * priming class, it is constructed with the handler and its {@code beforeCheckpoint} and
 * {@code afterRestore} hooks are called before the measured invoke, as a SnapStart restore would
 * find them run. With {@code heap}, the peak heap use is reported after the invoke.
 *
 * <p>Deliberately free of anything but the JDK and the Lambda core interfaces, so it adds next
 * to nothing to the classes a function loads.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        mark("main");
        String handlerClass = args[0];
        Path eventFile = Path.of(args[1]);
        String primingClass = args.length > 2 && !args[2].equals("-") ? args[2] : null;
        boolean heap = args.length > 3 && args[3].equals("heap");

        Class<?> type = Class.forName(handlerClass);
        RequestStreamHandler handler = (RequestStreamHandler) type.getConstructor().newInstance();
        mark("constructed");

        if (primingClass != null) {
            Object priming = newPriming(Class.forName(primingClass), handler);
            Class<?> context = Class.forName("org.crac.Context");
            priming.getClass().getMethod("beforeCheckpoint", context).invoke(priming, (Object) null);
            mark("checkpoint");
            priming.getClass().getMethod("afterRestore", context).invoke(priming, (Object) null);
            mark("restored");
        }

        byte[] event = Files.readAllBytes(eventFile);
        mark("invoke");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new BenchContext());
        mark("invoked");
        String response = out.toString(StandardCharsets.UTF_8);
        System.err.println("@@bench response " + response.replace('\n', ' '));
        if (heap) {
            reportHeap();
        }
        System.err.flush();
        System.exit(0);
    }

    private static Object newPriming(Class<?> primingType, Object handler) throws ReflectiveOperationException {
        for (Constructor<?> constructor : primingType.getConstructors()) {
            Class<?>[] parameters = constructor.getParameterTypes();
            if (parameters.length == 1 && parameters[0].isInstance(handler)) {
                return constructor.newInstance(handler);
            }
        }
        throw new NoSuchMethodException(primingType.getName() + " has no public constructor taking the handler");
    }

    /** Peak heap over the run, from the memory pools' own high-water marks (no sampling). */
    private static void reportHeap() throws ReflectiveOperationException {
        Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
        long peak = 0;
        long committed = 0;
        for (Object pool : (java.util.List<?>) factory.getMethod("getMemoryPoolMXBeans").invoke(null)) {
            Method typeMethod = Class.forName("java.lang.management.MemoryPoolMXBean").getMethod("getType");
            if (!((Enum<?>) typeMethod.invoke(pool)).name().equals("HEAP")) {
                continue;
            }
            Object usage = Class.forName("java.lang.management.MemoryPoolMXBean").getMethod("getPeakUsage").invoke(pool);
            peak += (Long) usage.getClass().getMethod("getUsed").invoke(usage);
            committed += (Long) usage.getClass().getMethod("getCommitted").invoke(usage);
        }
        System.err.println("@@bench heapPeakBytes " + peak);
        System.err.println("@@bench heapPeakCommittedBytes " + committed);
        System.err.println("@@bench heapMaxBytes " + Runtime.getRuntime().maxMemory());
    }

    private static void mark(String name) {
        System.err.println("@@bench " + name + " " + System.nanoTime());
    }
}
