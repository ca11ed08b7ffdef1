import type { CommandHandler } from '../command-def.js';
import { intOption } from '../int-option.js';
import { runTuneCommand, type TuneCalls } from '../tune-command.js';
import { checkAffectExclusive } from '../../connection/public-checks.js';
import { TypedParameterType, type TypedParameterInput } from '../../typed-params/types.js';

/** Command-line option → libvirt parameter, in the order virsh adds them. */
const DEVICE_OPTIONS = [
  ['device-weights', 'device_weight'],
  ['device-read-iops-sec', 'device_read_iops_sec'],
  ['device-write-iops-sec', 'device_write_iops_sec'],
  ['device-read-bytes-sec', 'device_read_bytes_sec'],
  ['device-write-bytes-sec', 'device_write_bytes_sec'],
] as const;

const BLKIO_CALLS: TuneCalls = {
  what: 'blkio',
  set: (dom, params, flags) => dom.setBlkioParameters(params, flags),
  // virsh asks for the number of parameters first; only the public function's LIVE|CONFIG check fails there.
  count: async (_dom, flags) => checkAffectExclusive(flags),
  get: (dom, flags) => dom.getBlkioParameters(flags),
};

/**
 * `blkiotune DOMAIN [--weight N] [--device-weights S] ... [--config|--live|--current] [--json]` (virsh's
 * cmdBlkiotune): with no value it prints the six parameters, otherwise it sets them all in one call.
 */
export const run: CommandHandler = (ctl, cmd) =>
  runTuneCommand(ctl, cmd, BLKIO_CALLS, () => {
    const params: TypedParameterInput[] = [];
    if (cmd.has('weight')) {
      const weight = intOption(ctl, cmd, 'weight');
      if (weight === undefined) return false;
      if (weight <= 0) return ctl.fail(`Invalid value of ${weight} for I/O weight`);
      params.push({ field: 'weight', type: TypedParameterType.UINT, value: weight });
    }
    for (const [option, field] of DEVICE_OPTIONS) {
      if (!cmd.has(option)) continue;
      const value = cmd.value(option) ?? '';
      if (value === '') return ctl.fail('Unable to parse string parameter');
      params.push({ field, type: TypedParameterType.STRING, value });
    }
    return params;
  });
