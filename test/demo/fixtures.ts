/** Shared constants of the simulator's tests: a key, and instants with known properties. */

/** A key of the shape Baseten issues; the simulator accepts only this one. */
export const KEY = 'abcdefgh.0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** 2025-01-01T00:00:00Z: an even minute, so the speculative-decoding families are present. */
export const T_EVEN_MINUTE = Date.UTC(2025, 0, 1, 0, 0, 0);

/** One minute later: an odd minute, so they are absent. */
export const T_ODD_MINUTE = T_EVEN_MINUTE + 60_000;

/** The fleet is observed from here: deployments started hours to days before it. */
export const CREATED_AT = T_EVEN_MINUTE - 3_600_000;
