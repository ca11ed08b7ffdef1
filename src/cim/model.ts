/**
 * The CIM values virtune exchanges, as plain data: an instance is a class name and typed properties, an instance
 * name a class name and key bindings. Values travel as CIM-XML writes them (text), so nothing is rounded on the
 * way through: a uint64 stays exact.
 */

/** The CIM intrinsic data types virtune's classes use (DSP0004). */
export type CimType = 'string' | 'uint16' | 'uint32' | 'uint64' | 'boolean';

/** One property: its value as CIM-XML text, or null for a NULL value (a `<PROPERTY>` without `<VALUE>`). */
export interface CimProperty {
  readonly name: string;
  readonly type: CimType;
  readonly value: string | null;
}

export interface CimInstance {
  readonly className: string;
  readonly properties: readonly CimProperty[];
}

/** DSP0201's KEYVALUE VALUETYPE. */
export type CimKeyValueType = 'string' | 'boolean' | 'numeric';

export interface CimKeyBinding {
  readonly name: string;
  readonly value: string;
  readonly valueType: CimKeyValueType;
}

/** An instance's path within its namespace (DSP0201 INSTANCENAME). */
export interface CimInstanceName {
  readonly className: string;
  readonly keys: readonly CimKeyBinding[];
}

/** DSP0201 VALUE.NAMEDINSTANCE: what EnumerateInstances returns and ModifyInstance takes. */
export interface CimNamedInstance {
  readonly name: CimInstanceName;
  readonly instance: CimInstance;
}

/** The property named `name` (CIM names compare case-insensitively). */
export function findProperty(instance: CimInstance, name: string): CimProperty | undefined {
  const lower = name.toLowerCase();
  return instance.properties.find((p) => p.name.toLowerCase() === lower);
}

/** The key binding named `name`, case-insensitively. */
export function findKey(name: CimInstanceName, key: string): CimKeyBinding | undefined {
  const lower = key.toLowerCase();
  return name.keys.find((k) => k.name.toLowerCase() === lower);
}
