package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The memory and CPU figures of a benchmark JVM, from the JVM itself:
 *
 * <ul>
 *   <li>{@code peak_heap_mib}: the peak usage of each heap pool ({@link MemoryPoolMXBean#getPeakUsage}),
 *       summed; garbage not yet collected counts, and the pools may peak at different times, so it
 *       is an upper bound that grows with the heap the JVM was given;
 *   <li>{@code peak_after_gc_mib}: the most heap still in use right after any collection (the JVM's
 *       GC notifications): what survived, plus old-generation garbage awaiting a full collection;
 *       the figure that says how much heap the work needs, to within its collector's slack;
 *   <li>{@code gc_seconds}: time in collections (all collectors);
 *   <li>{@code peak_rss_mib}: the process's peak resident memory ({@code VmHWM} of
 *       {@code /proc/self/status}, -1 where there is none): heap, metaspace, code, threads, buffers;
 *   <li>{@code cpu_seconds}: the CPU time of the whole process (all threads, the JIT and the
 *       collector included): on a machine shared with other work, what the work cost when its
 *       wall-clock time is stretched by waiting for a core.
 * </ul>
 */
final class ResourceWatch {
  private static final double MIB = 1024.0 * 1024;
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final Set<String> heapPools;

  private ResourceWatch() {
    heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  }

  /** Starts watching the collections of this JVM. */
  static ResourceWatch start() {
    ResourceWatch watch = new ResourceWatch();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> watch.heapPools.contains(e.getKey())).map(java.util.Map.Entry::getValue)
              .mapToLong(MemoryUsage::getUsed).sum();
          watch.peakAfterGc.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
    return watch;
  }

  /** Puts the figures into {@code out}, in MiB (Lambda's "MB", the JVM's "m") and seconds. */
  void report(ObjectNode out) {
    out.put("peak_heap_mib", ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum() / MIB);
    out.put("peak_after_gc_mib", peakAfterGc.get() / MIB);
    out.put("gc_seconds", ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum() / 1e3);
    out.put("max_heap_mib", Runtime.getRuntime().maxMemory() / MIB);
    out.put("peak_rss_mib", ClassifierBenchmarkWorker.peakRssMb());
    out.put("cpu_seconds", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9);
  }
}
