#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Timing and memory readings.
enum Measure {
    /// Monotonic time in nanoseconds (`clock_gettime(CLOCK_MONOTONIC)`).
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Runs `body` and returns its result with the elapsed seconds.
    static func seconds<R>(_ body: () throws -> R) rethrows -> (R, Double) {
        let start = nanoseconds()
        let result = try body()
        return (result, Double(nanoseconds() - start) / 1e9)
    }

    /// The `p`-th percentile (0–100) with linear interpolation between the closest ranks,
    /// numpy's default: position p/100 · (n − 1) in the sorted samples.
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        precondition(!samples.isEmpty, "percentile of no samples")
        let sorted = samples.sorted()
        let position = p / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    static func median(_ samples: [Double]) -> Double { percentile(samples, 50) }

    /// Peak resident set size of this process in MiB (`getrusage` `ru_maxrss`, KiB on Linux,
    /// bytes on macOS).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(macOS)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
        #endif
    }

    /// User + system CPU seconds of the whole process so far (`getrusage`): on a busy machine
    /// the CPU a stage used says more about the code than its wall time.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(macOS)
        getrusage(RUSAGE_SELF, &usage)
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// 1-minute load average, for judging whether other work shared the machine.
    static func loadAverage() -> Double {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) > 0 ? loads[0] : -1
    }

    /// Rounds to `places` decimals, so the JSON shows measured precision only.
    static func rounded(_ value: Double, _ places: Int = 4) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}
