import type { CommandDef, CommandGroup, OptionDef } from '../command-def.js';

// Help texts are virsh 9.0's, word for word, so `help CMD` reads as users know it.

const domainOpt: OptionDef = { name: 'domain', type: 'data', required: true, help: 'domain name, id or uuid' };
const config: OptionDef = { name: 'config', type: 'bool', help: 'affect next boot' };
const live: OptionDef = { name: 'live', type: 'bool', help: 'affect running domain' };
const current: OptionDef = { name: 'current', type: 'bool', help: 'affect current domain' };
const json: OptionDef = { name: 'json', type: 'bool', help: 'print one JSON document (virtune extension)' };

/** The groups of `help`, in virsh's order. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { name: 'Domain Management', keyword: 'domain' },
  { name: 'Domain Monitoring', keyword: 'monitor' },
  { name: 'Host and Hypervisor', keyword: 'host' },
  { name: 'Virsh itself', keyword: 'virsh' },
];

/** Every command virtune knows, in the order `help` lists them within a group. */
export const COMMANDS: readonly CommandDef[] = [
  {
    name: 'autopilot',
    group: 'domain',
    help: 'decide guest memory automatically: balloon targets, cgroup limits for guests that do not co-operate (virtune extension)',
    desc:
      'Every interval, read each running guest (balloon statistics, cooperation) and the host (free memory,\n' +
      '    pressure), let the policy decide, act, and print a table. QEMU only.',
    options: [
      { name: 'dry-run', type: 'bool', help: 'decide and print, change nothing' },
      { name: 'interval', type: 'string', namedOnly: true, help: 'seconds between intervals (default 5)' },
      { name: 'policy', type: 'string', namedOnly: true, help: 'virtune (default) or mom, the MoM-rules baseline' },
      { name: 'count', type: 'string', namedOnly: true, help: 'stop after this many intervals' },
    ],
    load: async () => (await import('./autopilot.js')).run,
  },
  {
    name: 'blkiotune',
    group: 'domain',
    help: 'Get or set blkio parameters',
    desc:
      'Get or set the current blkio parameters for a guest domain.\n' +
      '    To get the blkio parameters use following command: \n\n' +
      '    virsh # blkiotune <domain>',
    options: [
      domainOpt,
      { name: 'weight', type: 'int', help: 'IO Weight' },
      { name: 'device-weights', type: 'string', help: 'per-device IO Weights, in the form of /path/to/device,weight,...' },
      {
        name: 'device-read-iops-sec',
        type: 'string',
        help: 'per-device read I/O limit per second, in the form of /path/to/device,read_iops_sec,...',
      },
      {
        name: 'device-write-iops-sec',
        type: 'string',
        help: 'per-device write I/O limit per second, in the form of /path/to/device,write_iops_sec,...',
      },
      {
        name: 'device-read-bytes-sec',
        type: 'string',
        help: 'per-device bytes read per second, in the form of /path/to/device,read_bytes_sec,...',
      },
      {
        name: 'device-write-bytes-sec',
        type: 'string',
        help: 'per-device bytes wrote per second, in the form of /path/to/device,write_bytes_sec,...',
      },
      config,
      live,
      current,
      json,
    ],
    load: async () => (await import('./blkiotune.js')).run,
  },
  {
    name: 'define',
    group: 'domain',
    help: "define (but don't start) a domain from an XML file",
    desc: 'Define a domain.',
    options: [
      { name: 'file', type: 'data', required: true, help: 'file containing an XML domain description' },
      { name: 'validate', type: 'bool', help: 'validate the XML against the schema' },
    ],
    load: async () => (await import('./define.js')).run,
  },
  {
    name: 'destroy',
    group: 'domain',
    help: 'destroy (stop) a domain',
    desc: 'Forcefully stop a given domain, but leave its resources intact.',
    options: [domainOpt, { name: 'graceful', type: 'bool', help: 'terminate gracefully' }],
    load: async () => (await import('./lifecycle.js')).destroy,
  },
  {
    name: 'dumpxml',
    group: 'domain',
    help: 'domain information in XML',
    desc: 'Output the domain information as an XML dump to stdout.',
    options: [
      domainOpt,
      { name: 'inactive', type: 'bool', help: 'show inactive defined XML' },
      { name: 'security-info', type: 'bool', help: 'include security sensitive information in XML dump' },
      { name: 'update-cpu', type: 'bool', help: 'update guest CPU according to host CPU' },
      { name: 'migratable', type: 'bool', help: 'provide XML suitable for migrations' },
    ],
    load: async () => (await import('./dumpxml.js')).run,
  },
  {
    name: 'memtune',
    group: 'domain',
    help: 'Get or set memory parameters',
    desc:
      'Get or set the current memory parameters for a guest domain.\n' +
      '    To get the memory parameters use following command: \n\n' +
      '    virsh # memtune <domain>',
    options: [
      domainOpt,
      { name: 'hard-limit', type: 'int', help: 'Max memory, as scaled integer (default KiB)' },
      { name: 'soft-limit', type: 'int', help: 'Memory during contention, as scaled integer (default KiB)' },
      { name: 'swap-hard-limit', type: 'int', help: 'Max memory plus swap, as scaled integer (default KiB)' },
      { name: 'min-guarantee', type: 'int', help: 'Min guaranteed memory, as scaled integer (default KiB)' },
      // Named only, so positional words fill exactly the options they fill in virsh.
      {
        name: 'swap-soft-limit',
        type: 'int',
        namedOnly: true,
        help: 'Memory plus swap above which swapping is throttled, as scaled integer (default KiB; virtune extension)',
      },
      config,
      live,
      current,
      json,
    ],
    load: async () => (await import('./memtune.js')).run,
  },
  {
    name: 'reclaim',
    group: 'domain',
    help: 'reclaim guest memory through the balloon (virtune extension)',
    desc:
      'Move the balloon to SIZE and wait for the guest; with --enforce, lower the cgroup hard limit\n' +
      '    if the guest does not give the memory back in time. QEMU only.',
    options: [
      domainOpt,
      { name: 'size', type: 'int', required: true, help: 'target memory, as scaled integer (default KiB)' },
      { name: 'timeout', type: 'int', namedOnly: true, help: 'how long the guest has, in milliseconds' },
      { name: 'enforce', type: 'bool', help: 'lower the hard limit when the balloon does not get there' },
      json,
    ],
    load: async () => (await import('./reclaim.js')).run,
  },
  {
    name: 'schedinfo',
    group: 'domain',
    help: 'show/set scheduler parameters',
    desc: 'Show/Set scheduler parameters.',
    options: [
      domainOpt,
      { name: 'weight', type: 'int', namedOnly: true, help: 'weight for XEN_CREDIT' },
      { name: 'cap', type: 'int', namedOnly: true, help: 'cap for XEN_CREDIT' },
      { name: 'current', type: 'bool', help: 'get/set current scheduler info' },
      { name: 'config', type: 'bool', help: 'get/set value to be used on next boot' },
      { name: 'live', type: 'bool', help: 'get/set value from running domain' },
      { name: 'set', type: 'argv', help: 'parameter=value' },
    ],
    load: async () => (await import('./schedinfo.js')).run,
  },
  {
    name: 'setmaxmem',
    group: 'domain',
    help: 'change maximum memory limit',
    desc: 'Change the maximum memory allocation limit in the guest domain.',
    options: [
      domainOpt,
      { name: 'size', type: 'int', required: true, help: 'new maximum memory size, as scaled integer (default KiB)' },
      config,
      live,
      current,
    ],
    load: async () => (await import('./setmem.js')).setmaxmem,
  },
  {
    name: 'setmem',
    group: 'domain',
    help: 'change memory allocation',
    desc: 'Change the current memory allocation in the guest domain.',
    options: [
      domainOpt,
      { name: 'size', type: 'int', required: true, help: 'new memory size, as scaled integer (default KiB)' },
      config,
      live,
      current,
    ],
    load: async () => (await import('./setmem.js')).setmem,
  },
  {
    name: 'shutdown',
    group: 'domain',
    help: 'gracefully shutdown a domain',
    desc: 'Run shutdown in the target domain.',
    options: [domainOpt, { name: 'mode', type: 'string', help: 'shutdown mode: acpi|agent|initctl|signal|paravirt' }],
    load: async () => (await import('./lifecycle.js')).shutdown,
  },
  {
    name: 'start',
    group: 'domain',
    help: 'start a (previously defined) inactive domain',
    desc:
      'Start a domain, either from the last managedsave\n' +
      '    state, or via a fresh boot if no managedsave state\n' +
      '    is present.',
    options: [
      { name: 'domain', type: 'data', required: true, help: 'name of the inactive domain' },
      { name: 'paused', type: 'bool', help: 'leave the guest paused after creation' },
    ],
    load: async () => (await import('./lifecycle.js')).start,
  },
  {
    name: 'undefine',
    group: 'domain',
    help: 'undefine a domain',
    desc: 'Undefine an inactive domain, or convert persistent to transient.',
    options: [domainOpt],
    load: async () => (await import('./lifecycle.js')).undefine,
  },
  {
    name: 'dommemstat',
    group: 'monitor',
    help: 'get memory statistics for a domain',
    desc: 'Get memory statistics for a running domain.',
    options: [
      domainOpt,
      { name: 'period', type: 'int', help: 'period in seconds to set collection' },
      config,
      live,
      current,
      {
        name: 'verdict',
        type: 'bool',
        namedOnly: true,
        help: 'also say whether the guest co-operates with its balloon, and why (virtune extension)',
      },
    ],
    load: async () => (await import('./dommemstat.js')).run,
  },
  {
    name: 'dominfo',
    group: 'monitor',
    help: 'domain information',
    desc: 'Returns basic information about the domain.',
    options: [domainOpt, json],
    load: async () => (await import('./dominfo.js')).run,
  },
  {
    name: 'domstate',
    group: 'monitor',
    help: 'domain state',
    desc: 'Returns state about a domain.',
    options: [domainOpt, { name: 'reason', type: 'bool', help: 'also print reason for the state' }, json],
    load: async () => (await import('./domstate.js')).run,
  },
  {
    name: 'list',
    group: 'monitor',
    help: 'list domains',
    desc: 'Returns list of domains.',
    options: [
      { name: 'inactive', type: 'bool', help: 'list inactive domains' },
      { name: 'all', type: 'bool', help: 'list inactive & active domains' },
      { name: 'transient', type: 'bool', help: 'list transient domains' },
      { name: 'persistent', type: 'bool', help: 'list persistent domains' },
      { name: 'state-running', type: 'bool', help: 'list domains in running state' },
      { name: 'state-paused', type: 'bool', help: 'list domains in paused state' },
      { name: 'state-shutoff', type: 'bool', help: 'list domains in shutoff state' },
      { name: 'state-other', type: 'bool', help: 'list domains in other states' },
      { name: 'uuid', type: 'bool', help: "list uuid's only" },
      { name: 'name', type: 'bool', help: 'list domain names only' },
      { name: 'id', type: 'bool', help: 'list domain IDs only' },
      { name: 'table', type: 'bool', help: 'list table (default)' },
      json,
    ],
    load: async () => (await import('./list.js')).run,
  },
  {
    name: 'cim-serve',
    group: 'host',
    help: "serve the domains' memory settings to CIM clients (virtune extension)",
    desc:
      "Answer CIM-XML requests (DMTF DSP0200) for libvirt-cim's memory RASD classes in namespace root/virt\n" +
      '    until interrupted: EnumerateInstances, GetInstance, and with --read-write ModifyInstance.\n' +
      '    `cim-serve -c URI` is the same as `-c URI cim-serve`.',
    options: [
      { name: 'listen', type: 'string', namedOnly: true, help: 'address and port to listen on (default 127.0.0.1:5988)' },
      { name: 'connect', short: 'c', type: 'string', namedOnly: true, help: 'the URI whose domains to serve, as -c before the command' },
      { name: 'read-write', type: 'bool', help: 'allow ModifyInstance (the server is read-only without it)' },
    ],
    noConnect: true,
    load: async () => (await import('./cim-serve.js')).run,
  },
  {
    name: 'uri',
    group: 'host',
    help: 'print the hypervisor canonical URI',
    desc: '',
    options: [],
    load: async () => (await import('./uri.js')).run,
  },
  {
    name: 'version',
    group: 'host',
    help: 'show version',
    desc: 'Display the system version information.',
    options: [{ name: 'daemon', type: 'bool', help: 'report daemon version too' }],
    load: async () => (await import('./version.js')).run,
  },
  {
    name: 'echo',
    group: 'virsh',
    help: 'echo arguments. Used for internal testing.',
    desc: 'Echo back arguments, possibly with quoting. Used for internal testing.',
    options: [
      { name: 'shell', type: 'bool', help: 'escape for shell use' },
      { name: 'xml', type: 'bool', help: 'escape for XML use' },
      { name: 'split', type: 'bool', help: "split each argument on ','; ',,' is an escape sequence" },
      { name: 'err', type: 'bool', help: 'output to stderr' },
      { name: 'string', type: 'argv', emptyOk: true, help: 'arguments to echo' },
    ],
    noConnect: true,
    load: async () => (await import('./echo.js')).run,
  },
  {
    name: 'exit',
    group: 'virsh',
    help: 'quit this interactive terminal',
    desc: '',
    options: [],
    noConnect: true,
    load: async () => (await import('./quit.js')).run,
  },
  {
    name: 'help',
    group: 'virsh',
    help: 'print help',
    desc: 'Prints global help, command specific help, or help for a\n    group of related commands',
    options: [
      {
        name: 'command',
        type: 'string',
        help: 'Prints global help, command specific help, or help for a group of related commands',
      },
    ],
    noConnect: true,
    load: async () => (await import('./help.js')).run,
  },
  {
    name: 'quit',
    group: 'virsh',
    help: 'quit this interactive terminal',
    desc: '',
    options: [],
    noConnect: true,
    load: async () => (await import('./quit.js')).run,
  },
  {
    name: 'connect',
    group: 'virsh',
    help: '(re)connect to hypervisor',
    desc: 'Connect to local hypervisor. This is built-in command after shell start up.',
    options: [
      { name: 'name', type: 'string', emptyOk: true, help: 'hypervisor connection URI' },
      { name: 'readonly', type: 'bool', help: 'read-only connection' },
    ],
    noConnect: true,
    load: async () => (await import('./connect.js')).run,
  },
];

const byName = new Map(COMMANDS.map((c) => [c.name, c]));

/** The command called `name`, or undefined (virsh's vshCmddefSearch). */
export function findCommand(name: string): CommandDef | undefined {
  return byName.get(name);
}

/** The group whose title or keyword is `name` (vshCmdGrpSearch). */
export function findGroup(name: string): CommandGroup | undefined {
  return COMMAND_GROUPS.find((g) => g.name === name || g.keyword === name);
}
