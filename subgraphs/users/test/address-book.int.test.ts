import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '@microshop/events';
import { createLogger } from '@microshop/runtime';
import { CheckoutAddresses } from '../src/address-book.service.ts';
import { AddressRepository } from '../src/address.repository.ts';
import {
  bearer,
  SIGN_UP,
  startUsersForTest,
  type AuthPayloadShape,
  type UsersUnderTest,
} from './harness.ts';

/** The address book through the users subgraph on a real PostgreSQL, and its checkout consumer. */

const ADDRESS_FIELDS =
  'id name line1 line2 city region postalCode country phone isDefaultShipping isDefaultBilling';
const ADD = `mutation Add($input: AddAddressInput!) {
  addAddress(input: $input) { address { ${ADDRESS_FIELDS} } userErrors { code field } }
}`;
const UPDATE = `mutation Update($input: UpdateAddressInput!) {
  updateAddress(input: $input) { address { ${ADDRESS_FIELDS} } userErrors { code field } }
}`;
const REMOVE = `mutation Remove($id: ID!) {
  removeAddress(id: $id) { address { id } userErrors { code field } }
}`;
const MY_ADDRESSES = `{ me { addresses { ${ADDRESS_FIELDS} } } }`;

interface AddressView {
  id: string;
  city: string;
  country: string;
  isDefaultShipping: boolean;
  isDefaultBilling: boolean;
}
interface AddressPayload {
  address: AddressView | null;
  userErrors: { code: string; field: string[] | null }[];
}

const BERLIN = {
  name: 'Ada Lovelace',
  line1: 'Unter den Linden 1',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
};
const PARIS = {
  name: 'Ada Lovelace',
  line1: '1 Rue de Rivoli',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
};

let users: UsersUnderTest;
beforeAll(async () => {
  users = await startUsersForTest();
});
afterAll(async () => {
  await users?.close();
});

async function signUp(): Promise<{ id: string; token: string }> {
  const response = await users.gql<{ signUp: AuthPayloadShape }>(SIGN_UP, {
    input: { email: `${randomUUID()}@example.com`, name: 'Ada', password: 'correct-horse-9' },
  });
  const { user, accessToken } = response.body.data!.signUp;
  return { id: user!.id, token: accessToken! };
}

async function mutate(
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<AddressPayload> {
  const response = await users.gql<Record<string, AddressPayload>>(query, variables, bearer(token));
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

async function bookOf(token: string): Promise<AddressView[]> {
  const response = await users.gql<{ me: { addresses: AddressView[] } }>(
    MY_ADDRESSES,
    {},
    bearer(token),
  );
  return response.body.data!.me.addresses;
}

const defaultsOf = (book: AddressView[]) =>
  book.map(({ city, isDefaultShipping, isDefaultBilling }) => [
    city,
    isDefaultShipping,
    isDefaultBilling,
  ]);

describe('the address book', () => {
  it('adds, changes and removes addresses, keeping one default of each kind', async () => {
    const { token } = await signUp();
    const berlin = await mutate(token, ADD, { input: { address: BERLIN } });
    expect(berlin.userErrors).toEqual([]);
    // The first address is where everything goes until the owner says otherwise.
    expect(berlin.address).toMatchObject({
      city: 'Berlin',
      country: 'DE',
      isDefaultShipping: true,
      isDefaultBilling: true,
    });

    const paris = await mutate(token, ADD, {
      input: { address: { ...PARIS, country: 'fr' }, defaultShipping: true },
    });
    expect(paris.address).toMatchObject({
      country: 'FR',
      isDefaultShipping: true,
      isDefaultBilling: false,
    });
    expect(defaultsOf(await bookOf(token))).toEqual([
      ['Berlin', false, true],
      ['Paris', true, false],
    ]);

    const moved = await mutate(token, UPDATE, {
      input: {
        id: berlin.address!.id,
        address: { ...BERLIN, city: 'Potsdam', postalCode: '14467' },
        defaultShipping: true,
      },
    });
    expect(moved.address).toMatchObject({
      city: 'Potsdam',
      isDefaultShipping: true,
      isDefaultBilling: true,
    });
    expect(defaultsOf(await bookOf(token))).toEqual([
      ['Potsdam', true, true],
      ['Paris', false, false],
    ]);

    expect((await mutate(token, REMOVE, { id: paris.address!.id })).address?.id).toBe(
      paris.address!.id,
    );
    expect((await bookOf(token)).map((address) => address.city)).toEqual(['Potsdam']);
  });

  it('refuses invalid addresses field by field, and ids of other books, changing nothing', async () => {
    const owner = await signUp();
    const other = await signUp();
    const { country: _country, ...noCountry } = BERLIN;
    expect((await mutate(owner.token, ADD, { input: { address: noCountry } })).userErrors).toEqual([
      { code: 'ADDRESS_FIELD_REQUIRED', field: ['input', 'address', 'country'] },
    ]);
    expect(
      (
        await mutate(owner.token, ADD, {
          input: { address: { ...BERLIN, country: 'XX', phone: 'none' } },
        })
      ).userErrors,
    ).toEqual([
      { code: 'UNKNOWN_COUNTRY', field: ['input', 'address', 'country'] },
      { code: 'INVALID_PHONE', field: ['input', 'address', 'phone'] },
    ]);
    const added = await mutate(owner.token, ADD, { input: { address: BERLIN } });
    expect(
      (await mutate(other.token, UPDATE, { input: { id: added.address!.id, address: PARIS } }))
        .userErrors,
    ).toEqual([{ code: 'ADDRESS_NOT_FOUND', field: ['input', 'id'] }]);
    expect((await mutate(other.token, REMOVE, { id: added.address!.id })).userErrors).toEqual([
      { code: 'ADDRESS_NOT_FOUND', field: ['id'] },
    ]);
    expect((await bookOf(owner.token)).map((address) => address.city)).toEqual(['Berlin']);
    expect(await bookOf(other.token)).toEqual([]);
  });

  it('is read by its owner only', async () => {
    const owner = await signUp();
    const other = await signUp();
    await mutate(owner.token, ADD, { input: { address: BERLIN } });
    const response = await users.gql(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { addresses { id } } } }`,
      { representations: [{ __typename: 'User', id: owner.id }] },
      bearer(other.token),
    );
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('checkout addresses', () => {
  const saver = () => new CheckoutAddresses(new AddressRepository(users.database.prisma));
  const log = createLogger('address-book-test', { logLevel: 'silent' });

  function orderPlaced(
    userId: string,
    shippingAddress: typeof BERLIN | null,
    billingAddress: typeof BERLIN | null,
  ) {
    const asPostal = (address: typeof BERLIN | null) =>
      address && { ...address, line2: null, region: null, phone: null };
    const orderId = randomUUID();
    return createEvent('OrderPlaced', orderId, {
      orderId,
      userId,
      items: [
        {
          productId: randomUUID(),
          quantity: 1,
          productName: 'Mug',
          unitPrice: { amount: 1250, currency: 'EUR' },
        },
      ],
      total: { amount: 1250, currency: 'EUR' },
      paymentToken: 'tok_visa',
      shippingAddress: asPostal(shippingAddress),
      billingAddress: asPostal(billingAddress),
    });
  }

  async function handle(event: ReturnType<typeof orderPlaced>) {
    await users.database.prisma.$transaction((tx) => saver().handleOrderEvent(tx, event, { log }));
  }

  it("joins an order's addresses to the buyer's book once, the first becoming the defaults", async () => {
    const { id, token } = await signUp();
    await handle(orderPlaced(id, BERLIN, PARIS));
    expect(defaultsOf(await bookOf(token))).toEqual([
      ['Berlin', true, false],
      ['Paris', false, true],
    ]);
    // The same places again, typed differently: nothing new, defaults stay.
    await handle(
      orderPlaced(id, { ...BERLIN, name: 'ADA LOVELACE', line1: 'unter den  linden 1' }, BERLIN),
    );
    await handle(orderPlaced(id, null, null));
    expect(defaultsOf(await bookOf(token))).toEqual([
      ['Berlin', true, false],
      ['Paris', false, true],
    ]);
  });

  it('uses an address already in the book as a missing default instead of adding it again', async () => {
    const { id, token } = await signUp();
    const added = await mutate(token, ADD, { input: { address: BERLIN } });
    await mutate(token, UPDATE, {
      input: { id: added.address!.id, defaultShipping: false, defaultBilling: false },
    });
    await handle(orderPlaced(id, BERLIN, BERLIN));
    expect(defaultsOf(await bookOf(token))).toEqual([['Berlin', true, true]]);
  });
});
