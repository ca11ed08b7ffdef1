// libvirt's CPU ranges (vircgroup.h's VIR_CGROUP_CPU_*), in a file of their own that imports nothing: the XML
// model checks them when it reads <cputune>, and the scheduler family and the cgroup layer (which re-export them)
// load them on paths that must not load the XML reader.

/** libvirt's bounds of `cpu_shares` (VIR_CGROUP_CPU_SHARES_MIN/MAX); 0 is allowed too and means "not set". */
export const CPU_SHARES_MIN = 2n;
export const CPU_SHARES_MAX = 262144n;
/** libvirt's bounds of a CFS period, µs (VIR_CGROUP_CPU_PERIOD_MIN/MAX); 0 means "not set". */
export const CPU_PERIOD_MIN = 1000n;
export const CPU_PERIOD_MAX = 1000000n;
/** libvirt's bounds of a positive CFS quota, µs (VIR_CGROUP_CPU_QUOTA_MIN/MAX); any negative quota is "no limit". */
export const CPU_QUOTA_MIN = 1000n;
export const CPU_QUOTA_MAX = 17592186044415n;

