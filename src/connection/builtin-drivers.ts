import { registerDriver, registerRemoteDriver } from './registry.js';

// Drivers load lazily: opening test:/// must not pay for QEMU's or LXC's modules.
registerDriver(['test'], async () => (await import('../drivers/test/factory.js')).testDriverFactory);
registerDriver(['unsupported'], async () => (await import('../drivers/unsupported/factory.js')).unsupportedDriverFactory);
registerDriver(['qemu'], async () => (await import('../drivers/qemu/factory.js')).qemuDriverFactory);
registerDriver(['lxc'], async () => (await import('../drivers/lxc/factory.js')).lxcDriverFactory);
registerRemoteDriver(async () => (await import('../drivers/remote/factory.js')).remoteDriverFactory);
