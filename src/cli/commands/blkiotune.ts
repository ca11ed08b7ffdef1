import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { intOption } from '../int-option.js';
import { affectFlags } from '../options.js';
import { printParams } from '../print-params.js';
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

/**
 * `blkiotune DOMAIN [--weight N] [--device-weights S] ... [--config|--live|--current] [--json]` (virsh's
 * cmdBlkiotune): with no value it prints the six parameters, otherwise it sets them all in one call.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  const flags = affectFlags(ctl, cmd);
  if (flags === undefined) return false;
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;

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

  if (params.length > 0) {
    const set = () => dom.setBlkioParameters(params, flags);
    if ((await attempt(ctl, 'Unable to change blkio parameters', set)) === FAILED) return false;
    if (!cmd.has('json')) return true;
  }

  // virsh asks for the number of parameters first; only the public function's LIVE|CONFIG check fails there.
  const counted = await attempt(ctl, 'Unable to get number of blkio parameters', async () => checkAffectExclusive(flags));
  if (counted === FAILED) return false;
  const values = await attempt(ctl, 'Unable to get blkio parameters', () => dom.getBlkioParameters(flags));
  if (values === FAILED) return false;
  printParams(ctl, cmd, values);
  return true;
};
