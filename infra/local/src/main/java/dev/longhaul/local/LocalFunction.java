package dev.longhaul.local;

import dev.longhaul.local.iam.GuestCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A function running in this JVM the way Lambda runs it: its code in its own class loader (parent:
 * the platform loader, so it sees none of the local cloud's classes), handler instances created on
 * first use and kept warm, at most {@code maxConcurrency} invocations at a time (one per instance,
 * like execution environments), and the {@code Timeout} enforced. An instance whose invocation timed
 * out is dropped, as Lambda resets the environment; the next invocation initialises a new one.
 * With an IAM guard, the function's class path also holds the local cloud's IAM interceptor
 * ({@link GuestCode}), so every AWS call of its SDK clients is checked against its role.
 */
final class LocalFunction implements AutoCloseable {

    private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
    private static final String LOGGER = "com.amazonaws.services.lambda.runtime.LambdaLogger";

    private final FunctionSpec spec;
    private final PrintStream log;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();
    private final ExecutorService threads;
    private final AtomicInteger initialisations = new AtomicInteger();
    private final Function<Map<String, String>, Map<String, String>> iamGuard;
    private volatile URLClassLoader loader;
    private volatile Method handler;
    private volatile Class<?> contextType;
    private volatile Class<?> loggerType;

    LocalFunction(FunctionSpec spec, int maxConcurrency, PrintStream log) {
        this(spec, maxConcurrency, log, null);
    }

    /** @param iamGuard the IAM check of the function's calls, or null to check none ({@code --no-iam}) */
    LocalFunction(FunctionSpec spec, int maxConcurrency, PrintStream log,
                  Function<Map<String, String>, Map<String, String>> iamGuard) {
        this.spec = spec;
        this.log = log;
        this.iamGuard = iamGuard;
        this.permits = new Semaphore(maxConcurrency, true);
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, spec.logicalId() + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks, before anything runs, that the code is where the template says: the usual mistake is a missing build. */
    static void checkCode(FunctionSpec spec) {
        if (!Files.exists(spec.codeUri())) {
            throw new IllegalStateException(spec.logicalId() + ": CodeUri " + spec.codeUri() + " does not exist."
                    + " Build the functions first: mvn package (from the repository root)");
        }
    }

    FunctionSpec spec() {
        return spec;
    }

    /** How many handler instances were initialised (cold starts) so far. */
    int initialisations() {
        return initialisations.get();
    }

    /** Invokes with the function's own {@code Timeout}. */
    Invocation invoke(byte[] payload) {
        return invoke(payload, spec.timeout());
    }

    /**
     * Invokes with {@code limit} as the time limit (the caller's, when shorter than the function's,
     * such as the gateway's integration timeout). Never throws: every failure is an {@link Invocation}.
     */
    Invocation invoke(byte[] payload, Duration limit) {
        String requestId = UUID.randomUUID().toString();
        long begin = System.nanoTime();
        try {
            if (!permits.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return Invocation.failure(requestId, "TooManyRequestsException",
                        "Rate Exceeded: all " + spec.logicalId() + " instances stayed busy", elapsed(begin));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Invocation.failure(requestId, "Interrupted", "the local cloud is stopping", elapsed(begin));
        }
        Object[] instance = new Object[1];
        Future<byte[]> running;
        try {
            long deadline = begin + limit.toNanos();
            running = threads.submit(() -> {
                instance[0] = acquireInstance();
                return run(instance[0], payload, requestId, deadline);
            });
        } catch (RuntimeException e) {
            permits.release();
            return Invocation.failure(requestId, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), elapsed(begin));
        }
        try {
            long remaining = limit.toNanos() - (System.nanoTime() - begin);
            byte[] output = running.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            idle.push(instance[0]);
            return Invocation.success(requestId, output, elapsed(begin));
        } catch (TimeoutException e) {
            running.cancel(true);
            // The instance may still be running: it is not reused, as Lambda discards a timed-out environment.
            log.printf("%s %s Task timed out after %.2f seconds%n", spec.logicalId(), requestId, limit.toMillis() / 1000.0);
            return Invocation.failure(requestId, "Sandbox.Timedout",
                    String.format("Task timed out after %.2f seconds", limit.toMillis() / 1000.0), elapsed(begin));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException target ? target.getCause() : e.getCause();
            if (instance[0] != null) {
                idle.push(instance[0]);
            }
            log.printf("%s %s failed: %s%n", spec.logicalId(), requestId, cause);
            if (!(cause instanceof InitException)) {
                cause.printStackTrace(log);
            }
            String type = cause instanceof InitException init ? init.type : cause.getClass().getName();
            return Invocation.failure(requestId, type, String.valueOf(cause.getMessage()), elapsed(begin));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.cancel(true);
            return Invocation.failure(requestId, "Interrupted", "the local cloud is stopping", elapsed(begin));
        } finally {
            permits.release();
        }
    }

    private byte[] run(Object instance, byte[] payload, String requestId, long deadlineNanos) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            InputStream input = new ByteArrayInputStream(payload);
            Object context = context(requestId, deadlineNanos);
            Method method = handler;
            if (method.getParameterCount() == 3) {
                method.invoke(instance, input, output, context);
            } else {
                method.invoke(instance, input, output);
            }
            return output.toByteArray();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Object acquireInstance() throws InitException {
        Object instance = idle.poll();
        return instance != null ? instance : newInstance();
    }

    private Object newInstance() throws InitException {
        long begin = System.nanoTime();
        URLClassLoader functionLoader = loader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(functionLoader);
        try {
            Class<?> type = Class.forName(spec.handlerClass(), true, functionLoader);
            Object instance;
            try {
                Constructor<?> withEnvironment = type.getConstructor(Map.class);
                instance = withEnvironment.newInstance(spec.environment());
            } catch (NoSuchMethodException e) {
                instance = type.getConstructor().newInstance();
            }
            initialisations.incrementAndGet();
            log.printf("%s initialised in %d ms%n", spec.logicalId(), (System.nanoTime() - begin) / 1_000_000);
            return instance;
        } catch (ClassNotFoundException e) {
            throw new InitException("Runtime.ClassNotFound", "Class not found: " + spec.handlerClass(), e);
        } catch (NoSuchMethodException e) {
            throw new InitException("Runtime.NoSuchMethod", spec.handlerClass()
                    + " has neither a public (Map<String,String>) nor a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            e.getCause().printStackTrace(log);
            throw new InitException("Runtime.InitError", spec.logicalId() + " failed to initialise: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new InitException("Runtime.InitError", spec.logicalId() + " failed to initialise: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private synchronized URLClassLoader loader() throws InitException {
        if (loader == null) {
            List<URL> urls = new ArrayList<>(List.of(codeUrls(spec.codeUri())));
            if (iamGuard != null) {
                urls.add(GuestCode.url());
            }
            URLClassLoader created = new URLClassLoader(spec.logicalId(), urls.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader());
            if (iamGuard != null) {
                GuestCode.connect(created, iamGuard);
            }
            try {
                Class<?> type = Class.forName(spec.handlerClass(), false, created);
                handler = handlerMethod(type);
                contextType = handler.getParameterCount() == 3 ? Class.forName(CONTEXT, false, created) : null;
                loggerType = contextType == null ? null : Class.forName(LOGGER, false, created);
            } catch (ClassNotFoundException e) {
                throw new InitException("Runtime.ClassNotFound", "Class not found: " + e.getMessage()
                        + " (in " + spec.codeUri() + ")", e);
            }
            loader = created;
        }
        return loader;
    }

    /** {@code handleRequest(InputStream, OutputStream, Context)}, the stream handler contract; or the same without the context. */
    private Method handlerMethod(Class<?> type) throws InitException {
        for (Method method : type.getMethods()) {
            Class<?>[] parameters = method.getParameterTypes();
            if (method.getName().equals(spec.handlerMethod()) && parameters.length >= 2 && parameters.length <= 3
                    && parameters[0] == InputStream.class && parameters[1] == OutputStream.class
                    && (parameters.length == 2 || parameters[2].getName().equals(CONTEXT))) {
                return method;
            }
        }
        throw new InitException("Runtime.NoSuchMethod", spec.handlerClass() + "::" + spec.handlerMethod()
                + " is not a stream handler method (InputStream, OutputStream, Context): the local cloud runs"
                + " RequestStreamHandler functions only", null);
    }

    private static URL[] codeUrls(Path codeUri) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(codeUri.toUri().toURL());
            Path lib = codeUri.resolve("lib");
            if (Files.isDirectory(codeUri) && Files.isDirectory(lib)) {
                // Lambda's layout for a directory or zip: classes at the root, dependencies in lib/.
                try (Stream<Path> jars = Files.list(lib)) {
                    for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(jar.toUri().toURL());
                    }
                }
            }
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Bad CodeUri " + codeUri, e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return urls.toArray(URL[]::new);
    }

    private Object context(String requestId, long deadlineNanos) {
        InvocationHandler logger = (proxy, method, args) -> {
            if (method.getName().equals("log") && args != null && args.length >= 1) {
                String message = args[0] instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(args[0]);
                log.print(message.endsWith("\n") ? message : message + "\n");
                return null;
            }
            return objectMethod(proxy, method, args, "LambdaLogger");
        };
        Object lambdaLogger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, logger);
        InvocationHandler context = (proxy, method, args) -> switch (method.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getLogGroupName" -> "/aws/lambda/" + spec.functionName();
            case "getLogStreamName" -> "local/" + spec.logicalId();
            case "getFunctionName" -> spec.functionName();
            case "getFunctionVersion" -> "$LATEST";
            case "getInvokedFunctionArn" -> "arn:aws:lambda:" + spec.environment().get("AWS_REGION") + ":"
                    + dev.longhaul.emulators.Stack.ACCOUNT_ID + ":function:" + spec.functionName();
            case "getIdentity", "getClientContext" -> null;
            case "getRemainingTimeInMillis" -> (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
            case "getMemoryLimitInMB" -> spec.memoryMb();
            case "getLogger" -> lambdaLogger;
            default -> objectMethod(proxy, method, args, "Context " + requestId);
        };
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, context);
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String name) throws Throwable {
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        return switch (method.getName()) {
            case "toString" -> name;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> null;
        };
    }

    private static Duration elapsed(long begin) {
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        idle.clear();
        URLClassLoader current = loader;
        if (current != null) {
            try {
                current.close();
            } catch (java.io.IOException ignored) {
                // Nothing left to release that the JVM will not.
            }
        }
    }

    /** A failure before the handler ran: Lambda reports these as Runtime.* errors. */
    private static final class InitException extends Exception {
        private final String type;

        InitException(String type, String message, Throwable cause) {
            super(message, cause);
            this.type = type;
        }
    }
}
