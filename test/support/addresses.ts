/** Addresses through the API: a valid body, adding one, listing a user's. */
import { expect } from 'vitest';
import { api } from './users';

export interface AddressBody {
  id: string;
  recipientName: string;
  phone: string;
  country: string;
  region: string | null;
  district: string | null;
  city: string;
  mahalla: string | null;
  street: string;
  house: string | null;
  apartment: string | null;
  postalCode: string | null;
  landmark: string | null;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A complete Uzbek address (every optional field set). */
export function uzAddress(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recipientName: 'Dilnoza Karimova',
    phone: '+998901234567',
    country: 'UZ',
    region: 'Toshkent viloyati',
    district: 'Chilonzor tumani',
    city: 'Toshkent',
    mahalla: 'Navbahor MFY',
    street: 'Bunyodkor ko‘chasi',
    house: '12A',
    apartment: '45',
    postalCode: '100115',
    landmark: 'Chorsu bozori qarshisida, ko‘k darvoza',
    ...overrides,
  };
}

/** Creates an address for the token's user and returns it (expects 201). */
export async function addAddress(token: string, overrides: Record<string, unknown> = {}): Promise<AddressBody> {
  const res = await api('POST', '/users/me/addresses', { token, body: uzAddress(overrides) });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as AddressBody;
}

export async function listAddresses(token: string): Promise<AddressBody[]> {
  const res = await api('GET', '/users/me/addresses', { token });
  expect(res.status).toBe(200);
  return (await res.json<{ data: AddressBody[] }>()).data;
}
