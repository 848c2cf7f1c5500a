/**
 * Northwind Pay's payments subgraph, the example company's money: a Federation 2 subgraph whose fields say
 * which scopes of the identity graph they need. The scope `X` of a directive is the graph's Scope
 * `scope:X`; SUBJECTS.md says who holds each, and why.
 *
 * It does no authorization itself: the gateway enforces the directives against the identity graph, live,
 * before the request reaches this subgraph (see start-subgraph.ts).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { GraphQLError, parse } from 'graphql';
import { startSubgraph, type RunningSubgraph, type SubgraphListenOptions } from './start-subgraph.js';

export type PaymentStatus = 'AUTHORIZED' | 'CAPTURED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface Payment {
  readonly id: string;
  readonly merchant: string;
  /** In minor units (cents). */
  readonly amount: number;
  readonly currency: string;
  status: PaymentStatus;
  readonly createdAt: string;
  readonly cardLast4: string;
  /** The processing fee as the ledger posted it; null until captured. */
  readonly fee: number | null;
  readonly refunds: Refund[];
}

export interface Refund {
  readonly id: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
  readonly createdAt: string;
}

export interface PaymentsContext {
  readonly book: PaymentBook;
}

/** The largest page `payments(first:)` returns. */
export const MAX_FIRST = 100;

export const typeDefs = parse(/* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@authenticated", "@requiresScopes", "@policy"])

  enum PaymentStatus { AUTHORIZED CAPTURED PARTIALLY_REFUNDED REFUNDED }

  "A card payment. Amounts are in minor units (cents)."
  type Payment {
    id: ID!
    merchant: String!
    amount: Int!
    currency: String!
    status: PaymentStatus!
    createdAt: String!
    "Cardholder data: only for who reads both the payment and the customer's account (AND)."
    cardLast4: String @requiresScopes(scopes: [["payments:transactions:read", "identity:users:read"]])
    "The processing fee as the ledger posted it: for who reads the ledger, or its copy in the warehouse (OR)."
    fee: Int @requiresScopes(scopes: [["ledger:entries:read"], ["data-warehouse:tables:read"]])
    "How much has been refunded so far."
    refunded: Int!
    refunds: [Refund!]!
  }

  type Refund {
    id: ID!
    paymentId: ID!
    amount: Int!
    currency: String!
    createdAt: String!
  }

  "Counts only, no amounts and no card data."
  type PaymentVolume {
    payments: Int!
    refunds: Int!
  }

  type Query {
    "The most recent payments, newest first."
    payments(first: Int = 10): [Payment!] @requiresScopes(scopes: [["payments:transactions:read"]])
    "Whether payments are flowing: for any authenticated caller."
    paymentVolume: PaymentVolume @authenticated
    "The currencies Northwind Pay settles in: public."
    supportedCurrencies: [String!]!
  }

  type Mutation {
    "Refund part or all of a captured payment. The demo estate has no payments:refunds:write scope: refunds are a transactions write."
    refund(paymentId: ID!, amount: Int!): Refund @requiresScopes(scopes: [["payments:transactions:write"]])
  }
`);

export const resolvers: GraphQLResolverMap<PaymentsContext> = {
  Query: {
    payments: (_: unknown, { first }: { first: number }, { book }: PaymentsContext) => book.recent(first),
    paymentVolume: (_: unknown, __: unknown, { book }: PaymentsContext) => book.volume(),
    supportedCurrencies: () => ['EUR', 'GBP', 'USD'],
  },
  Mutation: {
    refund: (_: unknown, { paymentId, amount }: { paymentId: string; amount: number }, { book }: PaymentsContext) => book.refund(paymentId, amount),
  },
  Payment: {
    refunded: (payment: Payment) => refundedOf(payment),
  },
};

/**
 * Starts the payments subgraph with its own book of payments, so two servers never share refunds.
 * @example const payments = await startPaymentsSubgraph({ port: 4101 }); // payments.url ends in /graphql
 */
export function startPaymentsSubgraph(options: SubgraphListenOptions = {}): Promise<RunningSubgraph> {
  const book = new PaymentBook();
  // buildSubgraphSchema types every resolver map with an unknown context; ours is PaymentsContext.
  return startSubgraph(buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }), (): PaymentsContext => ({ book }), options);
}

/** The in-memory payments of one server; refunds change it. */
export class PaymentBook {
  private readonly payments: Payment[] = SAMPLE.map((p) => ({ ...p, refunds: [] }));
  private refundCount = 0;

  /** @throws GraphQLError BAD_USER_INPUT when `first` is outside 0…MAX_FIRST. */
  recent(first: number): Payment[] {
    if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) {
      throw userError('BAD_USER_INPUT', `first must be an integer from 0 to ${MAX_FIRST}; got ${first}`);
    }
    return [...this.payments].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, first);
  }

  volume(): { payments: number; refunds: number } {
    return { payments: this.payments.length, refunds: this.refundCount };
  }

  /**
   * Refunds `amount` of a captured payment; the payment becomes PARTIALLY_REFUNDED or REFUNDED.
   * @throws GraphQLError NOT_FOUND for an unknown payment; BAD_USER_INPUT for a payment not captured or an
   * amount that is not a positive integer up to what is left to refund.
   */
  refund(paymentId: string, amount: number): Refund {
    const payment = this.payments.find((p) => p.id === paymentId);
    if (payment === undefined) throw userError('NOT_FOUND', `No payment "${paymentId}"`);
    if (payment.status === 'AUTHORIZED') throw userError('BAD_USER_INPUT', `Payment "${paymentId}" is only authorized: void it instead of refunding it`);
    const left = payment.amount - refundedOf(payment);
    if (!Number.isInteger(amount) || amount <= 0 || amount > left) {
      throw userError('BAD_USER_INPUT', `amount must be a whole number of minor units from 1 to ${left} (what is left to refund of "${paymentId}"); got ${amount}`);
    }
    this.refundCount += 1;
    const refund: Refund = { id: `rf_${this.refundCount}`, paymentId, amount, currency: payment.currency, createdAt: new Date().toISOString() };
    payment.refunds.push(refund);
    payment.status = amount === left ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    return refund;
  }
}

const SAMPLE: readonly Omit<Payment, 'refunds'>[] = [
  { id: 'pay_1001', merchant: 'Brightside Coffee', amount: 4_250, currency: 'EUR', status: 'CAPTURED', createdAt: '2026-11-22T09:14:05Z', cardLast4: '4242', fee: 64 },
  { id: 'pay_1002', merchant: 'Kestrel Books', amount: 1_899, currency: 'GBP', status: 'CAPTURED', createdAt: '2026-11-22T10:02:41Z', cardLast4: '0005', fee: 33 },
  { id: 'pay_1003', merchant: 'Harbour Cycles', amount: 56_000, currency: 'USD', status: 'CAPTURED', createdAt: '2026-11-22T11:47:13Z', cardLast4: '1881', fee: 1_654 },
  { id: 'pay_1004', merchant: 'Alder & Finch', amount: 12_000, currency: 'EUR', status: 'AUTHORIZED', createdAt: '2026-11-22T12:30:58Z', cardLast4: '3220', fee: null },
];

function refundedOf(payment: Payment): number {
  return payment.refunds.reduce((sum, r) => sum + r.amount, 0);
}

function userError(code: 'BAD_USER_INPUT' | 'NOT_FOUND', message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
