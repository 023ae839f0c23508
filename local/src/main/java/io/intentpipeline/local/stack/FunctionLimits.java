package io.intentpipeline.local.stack;

import java.nio.file.Path;

/**
 * A function's limits as {@code template.yaml} declares them, for the benchmarks that reproduce
 * its JVM: memory, timeout and {@code JAVA_TOOL_OPTIONS} (empty when it has none, or when it is
 * not a plain string).
 */
public record FunctionLimits(String logicalId, int memoryMb, int timeoutSeconds, String javaToolOptions) {
  /**
   * The share of the function's memory that Lambda's Java runtime gives the heap
   * ({@code -XX:MaxHeapSize}: 85 %, the rest for metaspace and code), as the predict benchmark assumes.
   */
  public static final int HEAP_PERCENT = 85;

  /** Function {@code logicalId} of {@code template}; a {@link TemplateException} when it has none. */
  public static FunctionLimits of(Path template, String logicalId) {
    StackTemplate.FunctionSpec spec = StackTemplate.read(template).functions().get(logicalId);
    if (spec == null) {
      throw new TemplateException(template + " declares no function " + logicalId);
    }
    Object options = spec.environment().get("JAVA_TOOL_OPTIONS");
    return new FunctionLimits(logicalId, spec.memoryMb(), spec.timeoutSeconds(),
        options instanceof String text ? text.trim() : "");
  }

  /** The heap of a function with {@code memoryMb} MB, in MB. */
  public static int heapMb(int memoryMb) {
    return memoryMb * HEAP_PERCENT / 100;
  }

  /** The flags of the function's JVM with {@code memoryMb} MB: the heap, then {@code JAVA_TOOL_OPTIONS}. */
  public String jvmFlags(int memoryMb) {
    return ("-Xmx" + heapMb(memoryMb) + "m " + javaToolOptions).trim();
  }
}
