/**
 * The part of Shopify's Admin GraphQL schema (API version 2026-01) that storedesk uses, written
 * from Shopify's published reference (shopify.dev/docs/api/admin-graphql/2026-01): the same type,
 * field, argument and enum names, the same nullability and list shapes. Only what the connector
 * reads or calls is here; the fake rejects every request that asks for anything else, so a query
 * that would not validate against Shopify does not pass the tests either.
 *
 * Deliberately left out although Shopify has them: deprecated fields the connector must not
 * use (Customer.email/phone, ReturnLineItemInput.returnReason, DiscountCodeBasicInput.customerSelection),
 * and everything the connector has no use for. Arguments keep Shopify's defaults where the
 * reference gives one.
 */
export const SHOPIFY_ADMIN_SDL = /* GraphQL */ `
"Shopify's idempotency directive; in 2026-01 refundCreate accepts it (optional; mandatory from 2026-04)."
directive @idempotent(key: String!) on FIELD

scalar DateTime
scalar Decimal
scalar Money
scalar UnsignedInt64
scalar URL
scalar JSON

enum CurrencyCode { USD EUR GBP JPY KWD BHD SEK DKK NOK CHF CAD AUD PLN CZK }
enum CountryCode { NL BE DE FR GB US JP KW SE DK NO CH CA AU PL CZ ES IT AT IE }

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
input MoneyInput { amount: Decimal! currencyCode: CurrencyCode! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

interface Node { id: ID! }

type UserError { field: [String!] message: String! }

type Shop implements Node { id: ID! name: String! myshopifyDomain: String! currencyCode: CurrencyCode! }

type Job { id: ID! done: Boolean! }

type Metafield implements Node { id: ID! namespace: String! key: String! type: String! value: String! }
input MetafieldInput { id: ID namespace: String key: String value: String type: String }

type CustomerEmailAddress { emailAddress: String }
type CustomerPhoneNumber { phoneNumber: String! }

enum TransactionSortKeys { CREATED_AT EXPIRES_AT }
"A store credit account's transaction history (credits, debits, expirations); here only what all of them share and storedesk reads."
interface StoreCreditAccountTransaction { account: StoreCreditAccount! amount: MoneyV2! balanceAfterTransaction: MoneyV2! createdAt: DateTime! }
type StoreCreditAccountTransactionEdge { cursor: String! node: StoreCreditAccountTransaction! }
type StoreCreditAccountTransactionConnection { edges: [StoreCreditAccountTransactionEdge!]! nodes: [StoreCreditAccountTransaction!]! pageInfo: PageInfo! }
type StoreCreditAccount implements Node {
  id: ID!
  balance: MoneyV2!
  transactions(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: TransactionSortKeys = CREATED_AT, query: String): StoreCreditAccountTransactionConnection!
}
type StoreCreditAccountEdge { cursor: String! node: StoreCreditAccount! }
type StoreCreditAccountConnection { edges: [StoreCreditAccountEdge!]! nodes: [StoreCreditAccount!]! pageInfo: PageInfo! }

type Customer implements Node {
  id: ID!
  displayName: String!
  firstName: String
  lastName: String
  defaultEmailAddress: CustomerEmailAddress
  defaultPhoneNumber: CustomerPhoneNumber
  createdAt: DateTime!
  numberOfOrders: UnsignedInt64!
  amountSpent: MoneyV2!
  storeCreditAccounts(first: Int, after: String, last: Int, before: String, query: String): StoreCreditAccountConnection!
}
type CustomerEdge { cursor: String! node: Customer! }
type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }

type MailingAddress implements Node {
  id: ID!
  name: String
  address1: String
  address2: String
  zip: String
  city: String
  province: String
  provinceCode: String
  countryCodeV2: CountryCode
  phone: String
}

type Product implements Node { id: ID! title: String! }
type ProductVariant implements Node { id: ID! title: String! sku: String }

type TaxLine { priceSet: MoneyBag! rate: Float title: String! }

type LineItem implements Node {
  id: ID!
  name: String!
  title: String!
  variantTitle: String
  sku: String
  quantity: Int!
  product: Product
  variant: ProductVariant
  originalUnitPriceSet: MoneyBag!
  originalTotalSet: MoneyBag!
  discountedTotalSet: MoneyBag!
  totalDiscountSet: MoneyBag!
  taxLines(first: Int): [TaxLine!]!
}
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

type ShippingLine { id: ID title: String! originalPriceSet: MoneyBag! discountedPriceSet: MoneyBag! taxLines: [TaxLine!]! }

enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID }
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }

type CardPaymentDetails { company: String number: String name: String wallet: DigitalWallet }
enum DigitalWallet { ANDROID_PAY APPLE_PAY GOOGLE_PAY SHOPIFY_PAY }
type LocalPaymentMethodsPaymentDetails { paymentMethodName: String paymentDescriptor: String }
union PaymentDetails = CardPaymentDetails | LocalPaymentMethodsPaymentDetails

type OrderTransaction implements Node {
  id: ID!
  kind: OrderTransactionKind!
  status: OrderTransactionStatus!
  gateway: String
  formattedGateway: String
  createdAt: DateTime!
  processedAt: DateTime
  amountSet: MoneyBag!
  paymentDetails: PaymentDetails
  parentTransaction: OrderTransaction
}
type OrderTransactionEdge { cursor: String! node: OrderTransaction! }
type OrderTransactionConnection { edges: [OrderTransactionEdge!]! nodes: [OrderTransaction!]! pageInfo: PageInfo! }

enum RefundLineItemRestockType { CANCEL LEGACY_RESTOCK NO_RESTOCK RETURN }

type RefundLineItem { id: ID lineItem: LineItem! quantity: Int! restockType: RefundLineItemRestockType! subtotalSet: MoneyBag! totalTaxSet: MoneyBag! }
type RefundLineItemEdge { cursor: String! node: RefundLineItem! }
type RefundLineItemConnection { edges: [RefundLineItemEdge!]! nodes: [RefundLineItem!]! pageInfo: PageInfo! }

type RefundShippingLine implements Node { id: ID! shippingLine: ShippingLine! subtotalAmountSet: MoneyBag! taxAmountSet: MoneyBag! }
type RefundShippingLineEdge { cursor: String! node: RefundShippingLine! }
type RefundShippingLineConnection { edges: [RefundShippingLineEdge!]! nodes: [RefundShippingLine!]! pageInfo: PageInfo! }

type Refund implements Node {
  id: ID!
  createdAt: DateTime
  updatedAt: DateTime!
  note: String
  totalRefundedSet: MoneyBag!
  refundLineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): RefundLineItemConnection!
  refundShippingLines(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): RefundShippingLineConnection!
  transactions(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): OrderTransactionConnection!
}

enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }
enum FulfillmentDisplayStatus {
  ATTEMPTED_DELIVERY CANCELED CARRIER_PICKED_UP CONFIRMED DELAYED DELIVERED FAILURE FULFILLED IN_TRANSIT LABEL_PRINTED
  LABEL_PURCHASED LABEL_VOIDED MARKED_AS_FULFILLED NOT_DELIVERED OUT_FOR_DELIVERY PICKED_UP READY_FOR_PICKUP SUBMITTED
}
type FulfillmentTrackingInfo { company: String number: String url: URL }
type FulfillmentLineItem implements Node { id: ID! lineItem: LineItem! quantity: Int }
type FulfillmentLineItemEdge { cursor: String! node: FulfillmentLineItem! }
type FulfillmentLineItemConnection { edges: [FulfillmentLineItemEdge!]! nodes: [FulfillmentLineItem!]! pageInfo: PageInfo! }

type Fulfillment implements Node {
  id: ID!
  name: String!
  status: FulfillmentStatus!
  displayStatus: FulfillmentDisplayStatus
  createdAt: DateTime!
  inTransitAt: DateTime
  deliveredAt: DateTime
  estimatedDeliveryAt: DateTime
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
  fulfillmentLineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): FulfillmentLineItemConnection!
}

enum ReturnStatus { CANCELED CLOSED DECLINED OPEN REQUESTED }
interface ReturnLineItemType { id: ID! quantity: Int! returnReasonNote: String! customerNote: String }
type ReturnLineItem implements Node & ReturnLineItemType {
  id: ID!
  quantity: Int!
  returnReasonNote: String!
  customerNote: String
  fulfillmentLineItem: FulfillmentLineItem!
}
type ReturnLineItemTypeEdge { cursor: String! node: ReturnLineItemType! }
type ReturnLineItemTypeConnection { edges: [ReturnLineItemTypeEdge!]! nodes: [ReturnLineItemType!]! pageInfo: PageInfo! }
type Return implements Node {
  id: ID!
  name: String!
  status: ReturnStatus!
  createdAt: DateTime!
  closedAt: DateTime
  returnLineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): ReturnLineItemTypeConnection!
}
type ReturnEdge { cursor: String! node: Return! }
type ReturnConnection { edges: [ReturnEdge!]! nodes: [Return!]! pageInfo: PageInfo! }

enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED }
enum OrderSortKeys { CREATED_AT CUSTOMER_NAME DESTINATION FINANCIAL_STATUS FULFILLMENT_STATUS ID ORDER_NUMBER PO_NUMBER PROCESSED_AT RELEVANCE TOTAL_ITEMS_QUANTITY TOTAL_PRICE UPDATED_AT }

type Order implements Node {
  id: ID!
  name: String!
  email: String
  createdAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  cancelReason: OrderCancelReason
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  currencyCode: CurrencyCode!
  presentmentCurrencyCode: CurrencyCode!
  taxesIncluded: Boolean!
  note: String
  tags: [String!]!
  customer: Customer
  subtotalPriceSet: MoneyBag
  totalDiscountsSet: MoneyBag
  totalShippingPriceSet: MoneyBag!
  totalTaxSet: MoneyBag
  totalPriceSet: MoneyBag!
  totalRefundedSet: MoneyBag!
  discountCodes: [String!]!
  shippingLine: ShippingLine
  shippingAddress: MailingAddress
  lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
  transactions(first: Int, capturable: Boolean, manuallyResolvable: Boolean): [OrderTransaction!]!
  refunds(first: Int): [Refund!]!
  fulfillments(first: Int): [Fulfillment!]!
  returns(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): ReturnConnection!
  metafield(namespace: String, key: String!): Metafield
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

type QueryRoot {
  shop: Shop!
  customer(id: ID!): Customer
  customers(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: CustomerSortKeys = ID, query: String): CustomerConnection!
  order(id: ID!): Order
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: OrderSortKeys = PROCESSED_AT, query: String, savedSearchId: ID): OrderConnection!
  job(id: ID!): Job
}
enum CustomerSortKeys { CREATED_AT ID LOCATION NAME RELEVANCE UPDATED_AT }

# ---- refundCreate
input ShippingRefundInput { amount: Money fullRefund: Boolean }
input RefundLineItemInput { lineItemId: ID! quantity: Int! restockType: RefundLineItemRestockType locationId: ID }
input OrderTransactionInput { amount: Money! gateway: String! kind: OrderTransactionKind! orderId: ID! parentId: ID }
input RefundInput {
  orderId: ID!
  currency: CurrencyCode
  note: String
  notify: Boolean
  shipping: ShippingRefundInput
  refundLineItems: [RefundLineItemInput!]
  transactions: [OrderTransactionInput!]
}
type RefundCreatePayload { order: Order refund: Refund userErrors: [UserError!]! }

# ---- orderCancel
input OrderCancelStoreCreditRefundInput { expiresAt: DateTime }
input OrderCancelRefundMethodInput { originalPaymentMethodsRefund: Boolean storeCreditRefund: OrderCancelStoreCreditRefundInput }
enum OrderCancelUserErrorCode { INVALID NOT_FOUND NO_REFUND_PERMISSION }
type OrderCancelUserError { code: OrderCancelUserErrorCode field: [String!] message: String! }
type OrderCancelPayload { job: Job orderCancelUserErrors: [OrderCancelUserError!]! userErrors: [UserError!]! }

# ---- returnCreate
input ReturnLineItemInput { fulfillmentLineItemId: ID! quantity: Int! returnReasonDefinitionId: ID returnReasonNote: String = "" }
input ReturnInput { orderId: ID! returnLineItems: [ReturnLineItemInput!]! notifyCustomer: Boolean = false requestedAt: DateTime }
enum ReturnErrorCode { ALREADY_EXISTS BLANK CREATION_FAILED GREATER_THAN INVALID INVALID_STATE LESS_THAN NOT_FOUND NOTIFICATION_FAILED TOO_LONG }
type ReturnUserError { code: ReturnErrorCode field: [String!] message: String! }
type ReturnCreatePayload { return: Return userErrors: [ReturnUserError!]! }

# ---- discounts
input DiscountCustomersInput { add: [ID!] remove: [ID!] }
enum DiscountBuyerSelection { ALL }
input DiscountContextInput { all: DiscountBuyerSelection customers: DiscountCustomersInput }
input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
input DiscountCustomerGetsValueInput { percentage: Float discountAmount: DiscountAmountInput }
input DiscountItemsInput { all: Boolean }
input DiscountCustomerGetsInput { value: DiscountCustomerGetsValueInput items: DiscountItemsInput appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean }
input DiscountCombinesWithInput { orderDiscounts: Boolean productDiscounts: Boolean shippingDiscounts: Boolean }
input DiscountCodeBasicInput {
  title: String
  code: String
  startsAt: DateTime
  endsAt: DateTime
  usageLimit: Int
  appliesOncePerCustomer: Boolean
  context: DiscountContextInput
  customerGets: DiscountCustomerGetsInput
  combinesWith: DiscountCombinesWithInput
}
input DiscountShippingDestinationSelectionInput { all: Boolean }
input DiscountCodeFreeShippingInput {
  title: String
  code: String
  startsAt: DateTime
  endsAt: DateTime
  usageLimit: Int
  appliesOncePerCustomer: Boolean
  context: DiscountContextInput
  destination: DiscountShippingDestinationSelectionInput
  combinesWith: DiscountCombinesWithInput
}
enum DiscountErrorCode { ACTIVE_PERIOD_OVERLAP BLANK CONFLICT DUPLICATE EXCEEDED_MAX GREATER_THAN GREATER_THAN_OR_EQUAL_TO IMPLICIT_DUPLICATE INCLUSION INTERNAL_ERROR INVALID INVALID_COMBINES_WITH_FOR_DISCOUNT_CLASS LESS_THAN LESS_THAN_OR_EQUAL_TO MAX_APP_DISCOUNTS MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT MISSING_ARGUMENT PRESENT TAKEN TOO_LONG TOO_MANY_ARGUMENTS TOO_SHORT VALUE_OUTSIDE_RANGE }
type DiscountUserError { code: DiscountErrorCode extraInfo: String field: [String!] message: String! }
type DiscountCodeNode implements Node { id: ID! }
type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeFreeShippingCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }

# ---- store credit
input StoreCreditAccountCreditInput { creditAmount: MoneyInput! expiresAt: DateTime notify: Boolean = false }
type StoreCreditAccountCreditTransaction implements Node & StoreCreditAccountTransaction { id: ID! amount: MoneyV2! balanceAfterTransaction: MoneyV2! createdAt: DateTime! expiresAt: DateTime account: StoreCreditAccount! }
enum StoreCreditAccountCreditUserErrorCode { ACCOUNT_NOT_FOUND CREDIT_LIMIT_EXCEEDED EXPIRES_AT_IN_PAST MISMATCHING_CURRENCY NEGATIVE_OR_ZERO_AMOUNT OWNER_NOT_FOUND UNSUPPORTED_CURRENCY }
type StoreCreditAccountCreditUserError { code: StoreCreditAccountCreditUserErrorCode field: [String!] message: String! }
type StoreCreditAccountCreditPayload { storeCreditAccountTransaction: StoreCreditAccountCreditTransaction userErrors: [StoreCreditAccountCreditUserError!]! }

# ---- orderUpdate
input OrderInput { id: ID! note: String tags: [String!] email: String metafields: [MetafieldInput!] }
type OrderUpdatePayload { order: Order userErrors: [UserError!]! }

type Mutation {
  refundCreate(input: RefundInput!): RefundCreatePayload
  orderCancel(orderId: ID!, reason: OrderCancelReason!, refund: Boolean, refundMethod: OrderCancelRefundMethodInput, restock: Boolean!, notifyCustomer: Boolean = false, staffNote: String): OrderCancelPayload
  returnCreate(returnInput: ReturnInput!): ReturnCreatePayload
  discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeFreeShippingCreatePayload
  storeCreditAccountCredit(id: ID!, creditInput: StoreCreditAccountCreditInput!): StoreCreditAccountCreditPayload
  orderUpdate(input: OrderInput!): OrderUpdatePayload
}

schema { query: QueryRoot mutation: Mutation }
`;
