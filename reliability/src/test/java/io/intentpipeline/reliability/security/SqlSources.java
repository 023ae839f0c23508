package io.intentpipeline.reliability.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds, in compiled classes, every place where SQL text is handed to the database or to the
 * project's SQL builder, and says whether that text is a compile-time constant.
 *
 * <p>The sinks: {@code java.sql.Connection.prepareStatement/prepareCall/nativeSQL} and
 * {@code java.sql.Statement.execute/executeQuery/executeUpdate/executeLargeUpdate/addBatch} taking
 * a String (on Statement, PreparedStatement and CallableStatement), and the project's own
 * {@code SqlQuery.of(String)}, {@code new SqlQuery(String, List)} and
 * {@code SqlQuery.Builder.append(String, Object...)}, whose text must be fixed while values go
 * through {@code ?}.
 *
 * <p>The SQL argument's value is traced through the byte code (ASM's SourceInterpreter: which
 * instructions produced each stack slot and local variable): it is constant when every instruction
 * it can come from is an {@code ldc} of a String (javac folds literals, text blocks and
 * {@code static final} String constants into one), possibly through local variables and
 * conditionals. Anything else (a concatenation through invokedynamic {@code makeConcatWithConstants},
 * {@code StringBuilder.toString}, {@code String.format}, {@code String.concat}, a parameter, a field,
 * a method's result) is not.
 */
final class SqlSources {
  /** One SQL sink call: where it is, what it calls, and whether its text is a compile-time constant. */
  record Sink(String className, String method, int line, String call, boolean constant, String origin) {
    String where() {
      return className.replace('/', '.') + "." + method + " (line " + line + ")";
    }
  }

  private static final Set<String> JDBC_STATEMENTS = Set.of("java/sql/Statement", "java/sql/PreparedStatement",
      "java/sql/CallableStatement");
  private static final Set<String> STATEMENT_METHODS = Set.of("execute", "executeQuery", "executeUpdate",
      "executeLargeUpdate", "addBatch");
  private static final Set<String> CONNECTION_METHODS = Set.of("prepareStatement", "prepareCall", "nativeSQL");
  private static final String SQL_QUERY = "io/intentpipeline/storage/SqlQuery";
  private static final String SQL_BUILDER = "io/intentpipeline/storage/SqlQuery$Builder";

  private SqlSources() {}

  /** Every sink in the {@code .class} files under {@code dir}. */
  static List<Sink> scan(Path dir) {
    List<Sink> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        try (InputStream in = Files.newInputStream(file)) {
          out.addAll(scan(in.readAllBytes()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Every sink in one class file. */
  static List<Sink> scan(byte[] classFile) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    List<Sink> out = new ArrayList<>();
    for (MethodNode method : node.methods) {
      if (method.instructions.size() == 0) {
        continue;
      }
      Frame<SourceValue>[] frames;
      try {
        frames = new Analyzer<>(new SourceInterpreter()).analyze(node.name, method);
      } catch (AnalyzerException e) {
        throw new IllegalStateException("Cannot analyse " + node.name + "." + method.name, e);
      }
      int line = -1;
      for (int i = 0; i < method.instructions.size(); i++) {
        AbstractInsnNode insn = method.instructions.get(i);
        if (insn instanceof org.objectweb.asm.tree.LineNumberNode ln) {
          line = ln.line;
        }
        if (!(insn instanceof MethodInsnNode call) || frames[i] == null) {
          continue;
        }
        int sqlArg = sqlArgument(call);
        if (sqlArg < 0) {
          continue;
        }
        Type[] args = Type.getArgumentTypes(call.desc);
        // The stack holds the arguments in order on top; the SQL one is args.length - 1 - sqlArg from the top.
        Frame<SourceValue> frame = frames[i];
        SourceValue value = frame.getStack(frame.getStackSize() - args.length + sqlArg);
        List<String> origins = new ArrayList<>();
        boolean constant = constant(method, frames, value, new HashSet<>(), origins);
        out.add(new Sink(node.name, method.name, line, call.owner.substring(call.owner.lastIndexOf('/') + 1) + "."
            + call.name, constant, String.join(", ", origins)));
      }
    }
    return out;
  }

  /** The index of the SQL String argument of {@code call} when it is a sink, else -1. */
  private static int sqlArgument(MethodInsnNode call) {
    Type[] args = Type.getArgumentTypes(call.desc);
    boolean firstIsString = args.length > 0 && args[0].getDescriptor().equals("Ljava/lang/String;");
    if (!firstIsString) {
      return -1;
    }
    if (call.owner.equals("java/sql/Connection") && CONNECTION_METHODS.contains(call.name)) {
      return 0;
    }
    if (JDBC_STATEMENTS.contains(call.owner) && STATEMENT_METHODS.contains(call.name)) {
      return 0;
    }
    if (call.owner.equals(SQL_QUERY) && (call.name.equals("of") || call.name.equals("<init>"))) {
      return 0;
    }
    if (call.owner.equals(SQL_BUILDER) && call.name.equals("append")) {
      return 0;
    }
    return -1;
  }

  /** True when every instruction {@code value} may come from is a String {@code ldc} (through locals). */
  private static boolean constant(MethodNode method, Frame<SourceValue>[] frames, SourceValue value,
                                  Set<AbstractInsnNode> seen, List<String> origins) {
    if (value.insns.isEmpty()) {
      origins.add("a parameter of the method");
      return false;
    }
    boolean all = true;
    for (AbstractInsnNode producer : value.insns) {
      if (!seen.add(producer)) {
        continue;
      }
      if (producer instanceof LdcInsnNode ldc && ldc.cst instanceof String) {
        continue;
      }
      if (producer instanceof VarInsnNode load && producer.getOpcode() == Opcodes.ALOAD) {
        // The local's value: what each store reaching this load stored.
        Frame<SourceValue> at = frames[method.instructions.indexOf(producer)];
        SourceValue local = at.getLocal(load.var);
        if (local.insns.isEmpty()) {
          origins.add("parameter " + load.var);
          all = false;
          continue;
        }
        for (AbstractInsnNode store : local.insns) {
          if (store instanceof VarInsnNode && store.getOpcode() == Opcodes.ASTORE && seen.add(store)) {
            Frame<SourceValue> before = frames[method.instructions.indexOf(store)];
            all &= constant(method, frames, before.getStack(before.getStackSize() - 1), seen, origins);
          } else if (!(store instanceof VarInsnNode)) {
            origins.add("local " + load.var);
            all = false;
          }
        }
        continue;
      }
      if (producer.getOpcode() == Opcodes.CHECKCAST) {
        Frame<SourceValue> before = frames[method.instructions.indexOf(producer)];
        all &= constant(method, frames, before.getStack(before.getStackSize() - 1), seen, origins);
        continue;
      }
      origins.add(describe(producer));
      all = false;
    }
    return all;
  }

  private static String describe(AbstractInsnNode insn) {
    if (insn instanceof MethodInsnNode m) {
      return "the result of " + m.owner.replace('/', '.') + "." + m.name;
    }
    if (insn instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode indy) {
      return "invokedynamic " + indy.name + " (string concatenation)";
    }
    if (insn instanceof org.objectweb.asm.tree.FieldInsnNode f) {
      return "field " + f.owner.replace('/', '.') + "." + f.name;
    }
    return "opcode " + insn.getOpcode();
  }
}
