export const PARAMS: readonly string[];
export function encodeValue(field: string, writer: number, step: number): number;
export function decodeValue(field: string, kib: number): { writer: number; step: number } | undefined;
