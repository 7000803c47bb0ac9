import { describe, expect, it } from 'vitest';
import { isCountryCode, sameAddress, validateAddress, type AddressInput } from '../src/index.ts';

const BERLIN: AddressInput = {
  name: '  Ada   Lovelace ',
  line1: 'Unter den Linden 1',
  city: 'Berlin',
  postalCode: '10117',
  country: 'de',
};
const AT = ['input', 'shippingAddress', 'address'];

function codesOf(input: AddressInput) {
  const result = validateAddress(input, AT);
  return result.ok ? [] : result.problems.map(({ code, field }) => [code, field.at(-1)]);
}

describe('validateAddress', () => {
  it('normalises a valid address: trimmed, whitespace collapsed, country and postal code upper case', () => {
    const result = validateAddress({ ...BERLIN, line2: ' ', phone: '+49 30 1234567' }, AT);
    expect(result).toEqual({
      ok: true,
      address: {
        name: 'Ada Lovelace',
        line1: 'Unter den Linden 1',
        line2: null,
        city: 'Berlin',
        region: null,
        postalCode: '10117',
        country: 'DE',
        phone: '+49 30 1234567',
      },
    });
  });

  it('names every missing field at once, under the path it was given', () => {
    const result = validateAddress({ name: 'Ada' }, AT);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => problem.field)).toEqual([
      [...AT, 'line1'],
      [...AT, 'city'],
      [...AT, 'country'],
    ]);
  });

  it('refuses an address missing a country, and a country that is no ISO 3166-1 code', () => {
    expect(codesOf({ ...BERLIN, country: null })).toEqual([['ADDRESS_FIELD_REQUIRED', 'country']]);
    expect(codesOf({ ...BERLIN, country: 'XX' })).toEqual([['UNKNOWN_COUNTRY', 'country']]);
    expect(codesOf({ ...BERLIN, country: 'DEU' })).toEqual([['UNKNOWN_COUNTRY', 'country']]);
  });

  it("requires a region where the country needs one, and checks the postal code's shape", () => {
    const us = { name: 'Ada', line1: '1 Main St', city: 'Springfield', country: 'US' };
    expect(codesOf({ ...us, postalCode: '62701' })).toEqual([['ADDRESS_FIELD_REQUIRED', 'region']]);
    expect(codesOf({ ...us, region: 'IL', postalCode: '6270' })).toEqual([
      ['INVALID_POSTAL_CODE', 'postalCode'],
    ]);
    expect(codesOf({ ...us, region: 'IL', postalCode: '62701-1234' })).toEqual([]);
    expect(codesOf({ ...BERLIN, postalCode: null })).toEqual([
      ['ADDRESS_FIELD_REQUIRED', 'postalCode'],
    ]);
    expect(codesOf({ ...BERLIN, postalCode: 'sw1a 1aa', country: 'GB' })).toEqual([]);
    // No postal codes in Hong Kong; an unlisted country's code is checked for characters only.
    expect(codesOf({ ...BERLIN, postalCode: null, country: 'HK' })).toEqual([]);
    expect(codesOf({ ...BERLIN, postalCode: '1000', country: 'BG' })).toEqual([]);
    expect(codesOf({ ...BERLIN, postalCode: '10#17', country: 'BG' })).toEqual([
      ['INVALID_POSTAL_CODE', 'postalCode'],
    ]);
  });

  it('refuses fields that are too long and implausible phone numbers', () => {
    expect(codesOf({ ...BERLIN, name: 'x'.repeat(101) })).toEqual([
      ['ADDRESS_FIELD_TOO_LONG', 'name'],
    ]);
    expect(codesOf({ ...BERLIN, phone: 'call me' })).toEqual([['INVALID_PHONE', 'phone']]);
    expect(codesOf({ ...BERLIN, phone: '+1 23' })).toEqual([['INVALID_PHONE', 'phone']]);
    expect(codesOf({ ...BERLIN, phone: '(030) 123-4567' })).toEqual([]);
  });
});

describe('sameAddress', () => {
  it('matches the same place for the same person whatever the case or phone', () => {
    const a = validateAddress(BERLIN, AT);
    const b = validateAddress(
      { ...BERLIN, name: 'ADA LOVELACE', phone: '+49 30 1' + '234567' },
      AT,
    );
    const elsewhere = validateAddress({ ...BERLIN, line1: 'Unter den Linden 2' }, AT);
    if (!a.ok || !b.ok || !elsewhere.ok) throw new Error('fixtures must be valid');
    expect(sameAddress(a.address, b.address)).toBe(true);
    expect(sameAddress(a.address, elsewhere.address)).toBe(false);
  });
});

describe('isCountryCode', () => {
  it('knows the 249 assigned alpha-2 codes and nothing else', () => {
    expect(['DE', 'US', 'AX', 'ZW'].every(isCountryCode)).toBe(true);
    expect(['de', 'UK', 'EU', 'XK', ''].some(isCountryCode)).toBe(false);
  });
});
