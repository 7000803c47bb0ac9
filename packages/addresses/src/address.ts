import {
  isCountryCode,
  NO_POSTAL_CODE,
  POSTAL_CODE_FORMATS,
  REGION_REQUIRED,
} from './countries.ts';

/**
 * An address as a client sends it: every field optional, so that a missing one is answered
 * with a typed error naming it rather than a GraphQL validation failure.
 */
export interface AddressInput {
  name?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  phone?: string | null;
}

/** A validated address, normalised: trimmed, inner whitespace collapsed, country upper case. */
export interface PostalAddress {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  country: string;
  phone: string | null;
}

/**
 * Why an address was refused. Every subgraph that takes addresses declares these values in its
 * `enum UserErrorCode`, so its services can return them as they are.
 */
export const AddressErrorCode = {
  /** A field the address needs is empty (the error's field names it; region and postal code depend on the country). */
  ADDRESS_FIELD_REQUIRED: 'ADDRESS_FIELD_REQUIRED',
  /** A field is longer than it may be. */
  ADDRESS_FIELD_TOO_LONG: 'ADDRESS_FIELD_TOO_LONG',
  /** The country is not an ISO 3166-1 alpha-2 code. */
  UNKNOWN_COUNTRY: 'UNKNOWN_COUNTRY',
  /** The postal code does not have the country's shape. */
  INVALID_POSTAL_CODE: 'INVALID_POSTAL_CODE',
  /** The phone number is not a plausible number. */
  INVALID_PHONE: 'INVALID_PHONE',
} as const;
export type AddressErrorCode = (typeof AddressErrorCode)[keyof typeof AddressErrorCode];

/** One refused field: the subgraph turns it into a userError as it is. */
export interface AddressProblem {
  code: AddressErrorCode;
  message: string;
  field: string[];
}

export type AddressValidation =
  { ok: true; address: PostalAddress } | { ok: false; problems: AddressProblem[] };

/** Longest value of each field, in characters (after trimming). */
export const ADDRESS_FIELD_LIMITS: Readonly<Record<keyof PostalAddress, number>> = {
  name: 100,
  line1: 200,
  line2: 200,
  city: 100,
  region: 100,
  postalCode: 12,
  country: 2,
  phone: 25,
};

const GENERIC_POSTAL_CODE = /^[A-Z0-9][A-Z0-9 -]*[A-Z0-9]$/;
const PHONE = /^\+?[\d\s().-]+$/;
const MIN_PHONE_DIGITS = 5;
const MAX_PHONE_DIGITS = 15; // E.164

function clean(value: string | null | undefined): string | null {
  const collapsed = (value ?? '').trim().replace(/\s+/g, ' ');
  return collapsed === '' ? null : collapsed;
}

/**
 * Checks and normalises an address. `at` is the path of the address in the mutation's input
 * (e.g. `['input', 'shippingAddress', 'address']`); each problem's field extends it with the
 * field at fault. Every problem is reported at once, so a form can mark all of them.
 */
export function validateAddress(input: AddressInput, at: readonly string[]): AddressValidation {
  const problems: AddressProblem[] = [];
  const problem = (code: AddressErrorCode, field: keyof PostalAddress, message: string) =>
    problems.push({ code, message, field: [...at, field] });

  const value = {} as Record<keyof PostalAddress, string | null>;
  for (const field of Object.keys(ADDRESS_FIELD_LIMITS) as (keyof PostalAddress)[]) {
    const cleaned = clean(input[field]);
    value[field] =
      field === 'country' || field === 'postalCode' ? (cleaned?.toUpperCase() ?? null) : cleaned;
  }

  const required: (keyof PostalAddress)[] = ['name', 'line1', 'city', 'country'];
  const country = value.country;
  const knownCountry = country !== null && isCountryCode(country);
  if (knownCountry && REGION_REQUIRED.has(country)) required.push('region');
  if (knownCountry && !NO_POSTAL_CODE.has(country)) required.push('postalCode');
  for (const field of required) {
    if (value[field] === null) {
      problem(AddressErrorCode.ADDRESS_FIELD_REQUIRED, field, `The address needs a ${field}`);
    }
  }
  for (const [field, limit] of Object.entries(ADDRESS_FIELD_LIMITS) as [
    keyof PostalAddress,
    number,
  ][]) {
    if (field !== 'country' && (value[field]?.length ?? 0) > limit) {
      problem(
        AddressErrorCode.ADDRESS_FIELD_TOO_LONG,
        field,
        `${field} may have at most ${limit} characters`,
      );
    }
  }
  if (country !== null && !knownCountry) {
    problem(
      AddressErrorCode.UNKNOWN_COUNTRY,
      'country',
      `${country} is not an ISO 3166-1 alpha-2 country code (e.g. DE, US)`,
    );
  }
  const postalCode = value.postalCode;
  if (knownCountry && postalCode !== null && postalCode.length <= ADDRESS_FIELD_LIMITS.postalCode) {
    const format = POSTAL_CODE_FORMATS[country] ?? GENERIC_POSTAL_CODE;
    if (!format.test(postalCode)) {
      problem(
        AddressErrorCode.INVALID_POSTAL_CODE,
        'postalCode',
        `${postalCode} is not a postal code of ${country}`,
      );
    }
  }
  const phone = value.phone;
  if (phone !== null && phone.length <= ADDRESS_FIELD_LIMITS.phone) {
    const digits = phone.replace(/\D/g, '').length;
    if (!PHONE.test(phone) || digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS) {
      problem(
        AddressErrorCode.INVALID_PHONE,
        'phone',
        'The phone number should be digits, optionally with a leading + and separators',
      );
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    address: {
      name: value.name!,
      line1: value.line1!,
      line2: value.line2,
      city: value.city!,
      region: value.region,
      postalCode: value.postalCode,
      country: value.country!,
      phone: value.phone,
    },
  };
}

/**
 * Whether two addresses are the same place for the same person: compared field by field,
 * ignoring case and spacing. The phone is not part of it.
 */
export function sameAddress(a: PostalAddress, b: PostalAddress): boolean {
  const fields: (keyof PostalAddress)[] = [
    'name',
    'line1',
    'line2',
    'city',
    'region',
    'postalCode',
    'country',
  ];
  const comparable = (value: string | null) => clean(value)?.toLowerCase() ?? '';
  return fields.every((field) => comparable(a[field]) === comparable(b[field]));
}
