import { ErrorDomain } from '../errors.js';
import { TYPE_NAMES, type TypedParameter, type TypedParameterInput, type TypedParameterSpec, type TypedParameterType } from './types.js';
import { validateTypedParams } from './validate.js';
import { asVirError, guardMethods, invalidArgument, readList } from '../error-guard.js';

/** One row of a tunable family's parameter table: libvirt's name, its type, and the model field it sets. */
export interface ParamRow<F extends string = string> {
  /** libvirt's parameter name (`cpu_shares`, `weight`). */
  readonly name: string;
  readonly type: TypedParameterType;
  /** The field of the family's model (`CpuTune.shares`) this parameter reads and writes. */
  readonly field: F;
}

/** A caller's row read once into a frozen one of ours, or INVALID_ARG when it is not a row. */
function readRow<F extends string>(row: unknown): ParamRow<F> {
  if (row === null || typeof row !== 'object') throw invalidArgument('a parameter row must be an object');
  const { name, type, field } = row as Record<string, unknown>;
  if (typeof name !== 'string' || typeof field !== 'string') throw invalidArgument('a parameter row needs a name and a field as strings');
  if (typeof type !== 'number' || !Object.hasOwn(TYPE_NAMES, type)) throw invalidArgument(`parameter row '${name}': no such parameter type`);
  return Object.freeze({ name, type: type as TypedParameterType, field: field as F });
}

/**
 * A tunable family's parameters as data, in libvirt's reporting order. Drivers accept a subset of it (LXC takes
 * three of the nine scheduler parameters); {@link ParamTable.spec} builds, once per subset, the spec
 * virTypedParamsValidate checks against.
 */
export class ParamTable<F extends string = string> {
  readonly #byName: ReadonlyMap<string, ParamRow<F>>;
  readonly #specs = new WeakMap<readonly string[], TypedParameterSpec>();

  readonly rows: readonly ParamRow<F>[];
  /** Every name, in the table's order: one array, so the specs cached by list find it (see {@link spec}). */
  readonly #names: readonly string[];

  constructor(rows: readonly ParamRow<F>[]) {
    // A constructor is not guarded like the methods: its checks and reads convert what they throw themselves.
    try {
      this.rows = Object.freeze(readList(rows, 'parameter rows', invalidArgument).map(readRow<F>));
    } catch (e) {
      throw asVirError(e, 'ParamTable');
    }
    this.#byName = new Map(this.rows.map((r) => [r.name, r]));
    this.#names = Object.freeze(this.rows.map((r) => r.name));
  }

  /** Every name, in the table's order (a new array each time). */
  get names(): string[] {
    return [...this.#names];
  }

  /** The row of `name`, or undefined for a name the family does not have. */
  row(name: string): ParamRow<F> | undefined {
    return this.#byName.get(name);
  }

  /** The spec for `names` (a driver's constant list: the spec is built once and frozen). */
  spec(names: readonly string[] = this.#names): TypedParameterSpec {
    let spec = this.#specs.get(names);
    if (!spec) {
      const list = readList(names, 'parameter names', invalidArgument) as string[];
      spec = Object.freeze(Object.fromEntries(list.map((n): [string, TypedParameterType] => [n, this.#byName.get(n)!.type])));
      this.#specs.set(names, spec);
    }
    return spec;
  }

  /**
   * libvirt's virTypedParamsValidate against the `supported` names (default: every name), then each parameter with
   * its row, in the caller's order (the order libvirt applies them in).
   */
  validate(
    params: readonly TypedParameterInput[],
    supported: readonly string[] = this.#names,
    domain = ErrorDomain.NONE,
  ): { param: TypedParameter; row: ParamRow<F> }[] {
    return validateTypedParams(params, this.spec(supported), domain).map((param) => ({ param, row: this.#byName.get(param.field)! }));
  }

  /** The parameters for `values` (a model field → value lookup), one per name of `names`, in the table's order. */
  toParams(value: (field: F) => TypedParameter['value'], names: readonly string[] = this.#names): TypedParameter[] {
    const param = (r: ParamRow<F>): TypedParameter => ({ field: r.name, type: r.type, value: value(r.field) }) as TypedParameter;
    // Every name (the default, a getter's every call): nothing to read or filter.
    if (names === this.#names) return this.rows.map(param);
    const wanted = readList(names, 'parameter names', invalidArgument);
    return this.rows.filter((r) => wanted.includes(r.name)).map(param);
  }
}

// Whatever a method is given, it returns or throws a VirError.
guardMethods(ParamTable.prototype);
