package io.intentpipeline.local.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a function's code can do in AWS, read from its byte code: the methods reachable from the
 * handler (its no-argument constructor, static initialiser and handleRequest), followed through
 * the project's classes (every implementation of an interface or override counts, lambda bodies
 * count, a class instantiated may have its methods called by library code), and the AWS SDK
 * client operations and hand-signed requests among them, as IAM actions. Also the environment
 * variables the reachable code reads through {@code Env}.
 */
final class ReachableAwsCalls {
  /** SDK client operations and the IAM action each is authorised as (AWS's service authorisation reference). */
  private static final Map<String, List<String>> SDK_ACTIONS = Map.ofEntries(
      Map.entry("sqs/SqsClient.sendMessage", List.of("sqs:SendMessage")),
      Map.entry("sqs/SqsClient.sendMessageBatch", List.of("sqs:SendMessage")),
      Map.entry("sqs/SqsClient.receiveMessage", List.of("sqs:ReceiveMessage")),
      Map.entry("sqs/SqsClient.deleteMessage", List.of("sqs:DeleteMessage")),
      Map.entry("sqs/SqsClient.deleteMessageBatch", List.of("sqs:DeleteMessage")),
      Map.entry("sqs/SqsClient.changeMessageVisibility", List.of("sqs:ChangeMessageVisibility")),
      Map.entry("sqs/SqsClient.changeMessageVisibilityBatch", List.of("sqs:ChangeMessageVisibility")),
      Map.entry("sqs/SqsClient.getQueueAttributes", List.of("sqs:GetQueueAttributes")),
      Map.entry("sqs/SqsClient.getQueueUrl", List.of("sqs:GetQueueUrl")),
      Map.entry("sqs/SqsClient.createQueue", List.of("sqs:CreateQueue")),
      Map.entry("sqs/SqsClient.purgeQueue", List.of("sqs:PurgeQueue")),
      Map.entry("s3/S3Client.getObject", List.of("s3:GetObject")),
      Map.entry("s3/S3Client.getObjectAsBytes", List.of("s3:GetObject")),
      Map.entry("s3/S3Client.headObject", List.of("s3:GetObject")),
      Map.entry("s3/S3Client.putObject", List.of("s3:PutObject")),
      Map.entry("s3/S3Client.createMultipartUpload", List.of("s3:PutObject")),
      Map.entry("s3/S3Client.uploadPart", List.of("s3:PutObject")),
      Map.entry("s3/S3Client.completeMultipartUpload", List.of("s3:PutObject")),
      Map.entry("s3/S3Client.abortMultipartUpload", List.of("s3:AbortMultipartUpload")),
      Map.entry("s3/S3Client.copyObject", List.of("s3:GetObject", "s3:PutObject")),
      Map.entry("s3/S3Client.deleteObject", List.of("s3:DeleteObject")),
      Map.entry("s3/S3Client.headBucket", List.of("s3:ListBucket")),
      Map.entry("s3/S3Client.listObjectsV2", List.of("s3:ListBucket")),
      Map.entry("s3/S3Client.listObjectsV2Paginator", List.of("s3:ListBucket")),
      Map.entry("s3/S3Client.createBucket", List.of("s3:CreateBucket")),
      Map.entry("s3/presigner/S3Presigner.presignGetObject", List.of("s3:GetObject")));
  private static final String SDK_SERVICES = "software/amazon/awssdk/services/";
  private static final Set<String> SDK_CLIENTS = Set.of("sqs/SqsClient", "s3/S3Client", "s3/presigner/S3Presigner");
  // Building and closing a client, and what it says of itself, send no request.
  private static final Set<String> NO_ACTION = Set.of("builder", "create", "close", "serviceName",
      "serviceClientConfiguration", "utilities");

  /**
   * The project's own AWS calls that go around the SDK's clients, by method: each a signed HTTP
   * request written here. ListBucket: S3 answers a missing key with 404 only to a caller that may
   * list the bucket, and these methods act on that 404.
   */
  private static final Map<String, List<String>> HAND_SIGNED = Map.of(
      "io/intentpipeline/serving/S3ModelObject.fetchOnce", List.of("s3:GetObject", "s3:ListBucket"),
      "io/intentpipeline/aws/SecretsManagerSecret.call", List.of("secretsmanager:GetSecretValue"),
      "io/intentpipeline/storage/S3ModelStore.latest", List.of("s3:ListBucket"),
      "io/intentpipeline/storage/S3ModelStore.exists", List.of("s3:ListBucket"));

  private static final Set<String> ENV_READERS = Set.of("required", "optional", "string", "integer", "decimal", "bool",
      "seconds", "uri");

  /** What was found: IAM actions (each with a call that needs it), and environment variables read. */
  record Found(Map<String, Set<String>> actions, Set<String> requiredEnv, Set<String> readEnv) {}

  private record MethodRef(String owner, String name, String desc) {}

  private static final class MethodInfo {
    final List<MethodRef> calls = new ArrayList<>();
    final Set<String> instantiated = new HashSet<>();
    final Set<String> requiredEnv = new HashSet<>();
    final Set<String> readEnv = new HashSet<>();
    boolean isStatic;
    boolean isConstructor;
  }

  private static final class ClassInfo {
    String superName;
    final List<String> interfaces = new ArrayList<>();
    final Map<String, MethodInfo> methods = new HashMap<>();
  }

  private final Map<String, ClassInfo> classes = new HashMap<>();
  private final Map<String, Set<String>> subtypes = new HashMap<>();

  private ReachableAwsCalls(List<Path> classDirs) {
    for (Path dir : classDirs) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.filter(f -> f.toString().endsWith(".class")).forEach(this::index);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    classes.forEach((name, info) -> {
      List<String> supers = new ArrayList<>(info.interfaces);
      if (info.superName != null) {
        supers.add(info.superName);
      }
      supers.forEach(s -> subtypes.computeIfAbsent(s, k -> new HashSet<>()).add(name));
    });
  }

  /** The project's compiled classes: shared and every function ({@code target/classes}). */
  static ReachableAwsCalls ofProject(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    dirs.add(root.resolve("shared/target/classes"));
    try (Stream<Path> functions = Files.list(root.resolve("functions"))) {
      functions.map(f -> f.resolve("target/classes")).filter(Files::isDirectory).sorted().forEach(dirs::add);
    }
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException(dir + " is missing: build the project first (mvn verify builds it)");
      }
    }
    return new ReachableAwsCalls(dirs);
  }

  private void index(Path file) {
    ClassInfo info = new ClassInfo();
    String[] className = new String[1];
    try (InputStream in = Files.newInputStream(file)) {
      new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
          className[0] = name;
          info.superName = superName;
          info.interfaces.addAll(List.of(interfaces == null ? new String[0] : interfaces));
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
          MethodInfo method = new MethodInfo();
          method.isStatic = (access & Opcodes.ACC_STATIC) != 0;
          method.isConstructor = name.equals("<init>");
          info.methods.put(name + desc, method);
          return new MethodVisitor(Opcodes.ASM9) {
            // The string constants pushed since the last Env call: a variable's name is the
            // last one (the second last for string(name, fallback)); other calls may come between,
            // as in env.seconds("NAME", Duration.ofSeconds(20), 1, 900).
            private final List<String> strings = new ArrayList<>();

            @Override
            public void visitLdcInsn(Object value) {
              if (value instanceof String s) {
                strings.add(s);
              }
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
              if (opcode == Opcodes.NEW) {
                method.instantiated.add(type);
              }
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String mname, String mdesc, boolean itf) {
              if (owner.equals("io/intentpipeline/config/Env") && ENV_READERS.contains(mname)) {
                int back = mdesc.startsWith("(Ljava/lang/String;Ljava/lang/String;") ? 2 : 1;
                if (strings.size() >= back) {
                  String variable = strings.get(strings.size() - back);
                  (mname.equals("required") ? method.requiredEnv : method.readEnv).add(variable);
                  method.readEnv.add(variable);
                }
                strings.clear();
              }
              method.calls.add(new MethodRef(owner, mname, mdesc));
            }

            @Override
            public void visitInvokeDynamicInsn(String mname, String mdesc, Handle bootstrap, Object... args) {
              // A string concatenation consumes the constants before it: a name built at run time
              // ("AWS_ENDPOINT_URL_" + service) is not a constant to report.
              strings.clear();
              for (Object arg : args) {
                if (arg instanceof Handle handle) {
                  method.calls.add(new MethodRef(handle.getOwner(), handle.getName(), handle.getDesc()));
                  if (handle.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                    method.instantiated.add(handle.getOwner());
                  }
                }
              }
            }
          };
        }
      }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    classes.put(className[0], info);
  }

  /** What the handler {@code handlerClass} (a binary name) can reach. */
  Found from(String handlerClass) {
    String handler = handlerClass.replace('.', '/');
    ClassInfo info = classes.get(handler);
    if (info == null) {
      throw new AssertionError(handlerClass + " is not among the project's classes");
    }
    Deque<MethodRef> work = new ArrayDeque<>();
    Set<MethodRef> seen = new HashSet<>();
    Set<String> instantiated = new HashSet<>();
    info.methods.keySet().stream()
        .filter(k -> k.startsWith("<init>()") || k.startsWith("<clinit>") || k.startsWith("handleRequest("))
        .forEach(k -> work.add(new MethodRef(handler, k.substring(0, k.indexOf('(')), k.substring(k.indexOf('(')))));
    instantiate(handler, instantiated, work);
    Map<String, Set<String>> actions = new TreeMap<>();
    Set<String> requiredEnv = new TreeSet<>();
    Set<String> readEnv = new TreeSet<>();
    while (!work.isEmpty()) {
      MethodRef ref = work.pop();
      if (!seen.add(ref)) {
        continue;
      }
      MethodInfo method = classes.get(ref.owner()).methods.get(ref.name() + ref.desc());
      if (method == null) {
        continue;
      }
      String site = ref.owner() + "." + ref.name();
      List<String> signed = HAND_SIGNED.get(site);
      if (signed != null) {
        signed.forEach(a -> actions.computeIfAbsent(a, k -> new TreeSet<>()).add(site));
      }
      requiredEnv.addAll(method.requiredEnv);
      readEnv.addAll(method.readEnv);
      method.instantiated.forEach(type -> instantiate(type, instantiated, work));
      for (MethodRef call : method.calls) {
        if (call.owner().startsWith(SDK_SERVICES)) {
          sdkCall(call, site, actions);
        } else if (classes.containsKey(call.owner())) {
          instantiate(call.owner(), instantiated, work);
          dispatch(call, work);
        }
      }
    }
    return new Found(actions, requiredEnv, readEnv);
  }

  private void sdkCall(MethodRef call, String site, Map<String, Set<String>> actions) {
    String client = call.owner().substring(SDK_SERVICES.length());
    if (!SDK_CLIENTS.contains(client) || NO_ACTION.contains(call.name())) {
      return;
    }
    List<String> mapped = SDK_ACTIONS.get(client + "." + call.name());
    if (mapped == null) {
      throw new AssertionError(site + " calls " + client + "." + call.name()
          + ", whose IAM action is not in ReachableAwsCalls.SDK_ACTIONS: add it");
    }
    mapped.forEach(a -> actions.computeIfAbsent(a, k -> new TreeSet<>()).add(site + " -> " + client + "." + call.name()));
  }

  /** The call's target in its class or a superclass, and every override in the project's subtypes. */
  private void dispatch(MethodRef call, Deque<MethodRef> work) {
    Set<String> candidates = new HashSet<>();
    candidates.add(call.owner());
    Deque<String> pending = new ArrayDeque<>(List.of(call.owner()));
    while (!pending.isEmpty()) {
      for (String sub : subtypes.getOrDefault(pending.pop(), Set.of())) {
        if (candidates.add(sub)) {
          pending.add(sub);
        }
      }
    }
    for (String candidate : candidates) {
      for (String c = candidate; c != null && classes.containsKey(c); c = classes.get(c).superName) {
        if (classes.get(c).methods.containsKey(call.name() + call.desc())) {
          work.add(new MethodRef(c, call.name(), call.desc()));
          break;
        }
      }
    }
  }

  /**
   * A project class comes into use: its static initialiser runs, and when it has a supertype
   * outside the project (an interface of the JDK or a library), that library may call any of its
   * instance methods (a Runnable's run, a CRaC resource's hooks, an iterator's next).
   */
  private void instantiate(String type, Set<String> instantiated, Deque<MethodRef> work) {
    if (!instantiated.add(type) || !classes.containsKey(type)) {
      return;
    }
    ClassInfo info = classes.get(type);
    if (info.methods.containsKey("<clinit>()V")) {
      work.add(new MethodRef(type, "<clinit>", "()V"));
    }
    boolean external = info.interfaces.stream().anyMatch(i -> !classes.containsKey(i))
        || (info.superName != null && !classes.containsKey(info.superName)
            && !Set.of("java/lang/Object", "java/lang/Record", "java/lang/Enum").contains(info.superName));
    if (external) {
      info.methods.forEach((key, method) -> {
        if (!method.isStatic && !method.isConstructor) {
          int paren = key.indexOf('(');
          work.add(new MethodRef(type, key.substring(0, paren), key.substring(paren)));
        }
      });
    }
  }
}
