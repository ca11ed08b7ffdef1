// The private libvirtd launcher lives with the benchmarks (bench/lib/private-libvirtd.js), which start the same
// daemon; the tests use it from here.
export { LIBVIRTD, freePort, startPrivateLibvirtd, type PrivateLibvirtd, type PrivateLibvirtdOptions } from '../../bench/lib/private-libvirtd.js';
