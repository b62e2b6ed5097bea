/**
 * The GraphQL documents storedesk sends to Shopify (Admin API 2026-01) and the shapes of their
 * answers. Every field here is in Shopify's published schema; the test fake validates each
 * document against the same schema subset, so a typo fails a test instead of a merchant.
 *
 * Page sizes are kept small enough that one order stays well under Shopify's 1,000-point
 * single-query cost limit.
 */

/** A MoneyBag as asked for: the shop's currency and the customer's (presentment) currency. */
export interface MoneyBag {
  shopMoney: { amount: string; currencyCode: string };
  presentmentMoney: { amount: string; currencyCode: string };
}

const BAG = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';

/** Everything the connector reads of an order. */
export const ORDER_FIELDS = /* GraphQL */ `
fragment OrderParts on Order {
  id name email createdAt processedAt cancelledAt cancelReason
  displayFinancialStatus displayFulfillmentStatus
  currencyCode presentmentCurrencyCode taxesIncluded note tags
  customer { id displayName defaultEmailAddress { emailAddress } }
  subtotalPriceSet { ${BAG} }
  totalDiscountsSet { ${BAG} }
  totalShippingPriceSet { ${BAG} }
  totalTaxSet { ${BAG} }
  totalPriceSet { ${BAG} }
  discountCodes
  shippingLine { title }
  shippingAddress { name address1 address2 zip city province provinceCode countryCodeV2 phone }
  lineItems(first: 50) {
    nodes {
      id title variantTitle sku quantity
      product { id } variant { id }
      originalUnitPriceSet { ${BAG} }
      totalDiscountSet { ${BAG} }
      taxLines(first: 5) { priceSet { ${BAG} } }
    }
  }
  transactions(first: 20) {
    id kind status gateway formattedGateway createdAt
    amountSet { ${BAG} }
    parentTransaction { id }
    paymentDetails { __typename ... on CardPaymentDetails { company number } }
  }
  refunds(first: 20) {
    id createdAt note
    totalRefundedSet { ${BAG} }
    refundLineItems(first: 20) { nodes { lineItem { id } quantity subtotalSet { ${BAG} } totalTaxSet { ${BAG} } } }
    refundShippingLines(first: 2) { nodes { subtotalAmountSet { ${BAG} } taxAmountSet { ${BAG} } } }
  }
  fulfillments(first: 10) {
    id name status displayStatus createdAt inTransitAt deliveredAt estimatedDeliveryAt
    trackingInfo(first: 3) { company number url }
    fulfillmentLineItems(first: 20) { nodes { id quantity lineItem { id } } }
  }
  returns(first: 5) {
    nodes {
      id name status createdAt closedAt
      returnLineItems(first: 20) { nodes { id quantity returnReasonNote ... on ReturnLineItem { fulfillmentLineItem { id lineItem { id } } } } }
    }
  }
  metafield(namespace: "storedesk", key: "actions") { value }
}`;

/** The order as read. */
export interface ShopifyOrderNode {
  id: string;
  name: string;
  email: string | null;
  createdAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  presentmentCurrencyCode: string;
  taxesIncluded: boolean;
  note: string | null;
  tags: string[];
  customer: { id: string; displayName: string; defaultEmailAddress: { emailAddress: string | null } | null } | null;
  subtotalPriceSet: MoneyBag | null;
  totalDiscountsSet: MoneyBag | null;
  totalShippingPriceSet: MoneyBag;
  totalTaxSet: MoneyBag | null;
  totalPriceSet: MoneyBag;
  discountCodes: string[];
  shippingLine: { title: string } | null;
  shippingAddress: {
    name: string | null; address1: string | null; address2: string | null; zip: string | null; city: string | null;
    province: string | null; provinceCode: string | null; countryCodeV2: string | null; phone: string | null;
  } | null;
  lineItems: {
    nodes: {
      id: string; title: string; variantTitle: string | null; sku: string | null; quantity: number;
      product: { id: string } | null; variant: { id: string } | null;
      originalUnitPriceSet: MoneyBag; totalDiscountSet: MoneyBag; taxLines: { priceSet: MoneyBag }[];
    }[];
  };
  transactions: {
    id: string; kind: string; status: string; gateway: string | null; formattedGateway: string | null; createdAt: string;
    amountSet: MoneyBag; parentTransaction: { id: string } | null;
    paymentDetails: { __typename: string; company?: string | null; number?: string | null } | null;
  }[];
  refunds: {
    id: string; createdAt: string | null; note: string | null; totalRefundedSet: MoneyBag;
    refundLineItems: { nodes: { lineItem: { id: string }; quantity: number; subtotalSet: MoneyBag; totalTaxSet: MoneyBag }[] };
    refundShippingLines: { nodes: { subtotalAmountSet: MoneyBag; taxAmountSet: MoneyBag }[] };
  }[];
  fulfillments: {
    id: string; name: string; status: string; displayStatus: string | null; createdAt: string; inTransitAt: string | null;
    deliveredAt: string | null; estimatedDeliveryAt: string | null;
    trackingInfo: { company: string | null; number: string | null; url: string | null }[];
    fulfillmentLineItems: { nodes: { id: string; quantity: number | null; lineItem: { id: string } }[] };
  }[];
  returns: {
    nodes: {
      id: string; name: string; status: string; createdAt: string; closedAt: string | null;
      returnLineItems: { nodes: { id: string; quantity: number; returnReasonNote: string; fulfillmentLineItem?: { id: string; lineItem: { id: string } } }[] };
    }[];
  };
  metafield: { value: string } | null;
}

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

export const SHOP_QUERY = /* GraphQL */ `query StoredeskShop { shop { name myshopifyDomain currencyCode } }`;
export interface ShopData { shop: { name: string; myshopifyDomain: string; currencyCode: string } }

const CUSTOMER_FIELDS = `id displayName createdAt numberOfOrders
  defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber }
  amountSpent { amount currencyCode }
  storeCreditAccounts(first: 5) { nodes { id balance { amount currencyCode } } }`;

export interface ShopifyCustomerNode {
  id: string;
  displayName: string;
  createdAt: string;
  numberOfOrders: string;
  defaultEmailAddress: { emailAddress: string | null } | null;
  defaultPhoneNumber: { phoneNumber: string } | null;
  amountSpent: { amount: string; currencyCode: string };
  storeCreditAccounts: { nodes: { id: string; balance: { amount: string; currencyCode: string } }[] };
}

export const CUSTOMERS_QUERY = /* GraphQL */ `query StoredeskCustomers($query: String!) {
  customers(first: 5, query: $query) { nodes { ${CUSTOMER_FIELDS} } }
}`;
export interface CustomersData { customers: { nodes: ShopifyCustomerNode[] } }

export const CUSTOMER_QUERY = /* GraphQL */ `query StoredeskCustomer($id: ID!) { customer(id: $id) { ${CUSTOMER_FIELDS} } }`;
export interface CustomerData { customer: ShopifyCustomerNode | null }

export const ORDER_IDS_QUERY = /* GraphQL */ `query StoredeskOrderIds($query: String!, $first: Int!, $after: String) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT, reverse: true) { nodes { id name createdAt } ${PAGE_INFO} }
}`;
export interface OrderIdsData { orders: { nodes: { id: string; name: string; createdAt: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }

export const ORDER_QUERY = /* GraphQL */ `query StoredeskOrder($id: ID!) { order(id: $id) { ...OrderParts } }
${ORDER_FIELDS}`;
export interface OrderData { order: ShopifyOrderNode | null }

export const ORDER_REF_QUERY = /* GraphQL */ `query StoredeskOrderRef($id: ID!) { order(id: $id) { id name email customer { defaultEmailAddress { emailAddress } } } }`;
export interface OrderRefData { order: { id: string; name: string; email: string | null; customer: { defaultEmailAddress: { emailAddress: string | null } | null } | null } | null }

export const JOB_QUERY = /* GraphQL */ `query StoredeskJob($id: ID!) { job(id: $id) { id done } }`;
export interface JobData { job: { id: string; done: boolean } | null }

const USER_ERRORS = 'userErrors { field message }';
const CODED_ERRORS = 'userErrors { field message code }';

/** refundCreate with Shopify's native idempotency key. */
export const REFUND_CREATE = /* GraphQL */ `mutation StoredeskRefund($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) { refund { id createdAt totalRefundedSet { ${BAG} } } ${USER_ERRORS} }
}`;
export interface RefundCreateData { refundCreate: { refund: { id: string; createdAt: string | null; totalRefundedSet: MoneyBag } | null; userErrors: UserError[] } | null }

export const ORDER_CANCEL = /* GraphQL */ `mutation StoredeskCancel($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput, $restock: Boolean!, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: false, staffNote: $staffNote) {
    job { id done } orderCancelUserErrors { field message code }
  }
}`;
export interface OrderCancelData { orderCancel: { job: { id: string; done: boolean } | null; orderCancelUserErrors: CodedUserError[] } | null }

export const RETURN_CREATE = /* GraphQL */ `mutation StoredeskReturn($returnInput: ReturnInput!) {
  returnCreate(returnInput: $returnInput) { return { id name status } ${CODED_ERRORS} }
}`;
export interface ReturnCreateData { returnCreate: { return: { id: string; name: string; status: string } | null; userErrors: CodedUserError[] } | null }

export const DISCOUNT_BASIC_CREATE = /* GraphQL */ `mutation StoredeskDiscount($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } ${CODED_ERRORS} }
}`;
export interface DiscountBasicData { discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: CodedUserError[] } | null }

export const DISCOUNT_FREE_SHIPPING_CREATE = /* GraphQL */ `mutation StoredeskFreeShipping($input: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) { codeDiscountNode { id } ${CODED_ERRORS} }
}`;
export interface DiscountFreeShippingData { discountCodeFreeShippingCreate: { codeDiscountNode: { id: string } | null; userErrors: CodedUserError[] } | null }

export const STORE_CREDIT = /* GraphQL */ `mutation StoredeskCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
  storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
    storeCreditAccountTransaction { id amount { amount currencyCode } balanceAfterTransaction { amount currencyCode } account { id } }
    ${CODED_ERRORS}
  }
}`;
export interface StoreCreditData {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: { id: string; amount: { amount: string; currencyCode: string }; balanceAfterTransaction: { amount: string; currencyCode: string }; account: { id: string } } | null;
    userErrors: CodedUserError[];
  } | null;
}

/**
 * One metafield of an order by key: the record storedesk writes before an action whose result
 * carries no key of its own (store credit), so a retry knows the action may have happened.
 */
export const ORDER_METAFIELD_QUERY = /* GraphQL */ `query StoredeskOrderMetafield($id: ID!, $key: String!) {
  order(id: $id) { id metafield(namespace: "storedesk", key: $key) { value } }
}`;
export interface OrderMetafieldData { order: { id: string; metafield: { value: string } | null } | null }

/** A customer's store credit accounts with their newest transactions first. */
export const STORE_CREDIT_HISTORY_QUERY = /* GraphQL */ `query StoredeskCreditHistory($id: ID!, $first: Int!) {
  customer(id: $id) {
    id
    storeCreditAccounts(first: 10) {
      nodes {
        id balance { amount currencyCode }
        transactions(first: $first, reverse: true, sortKey: CREATED_AT) {
          nodes { __typename createdAt amount { amount currencyCode } ... on StoreCreditAccountCreditTransaction { id } }
          ${PAGE_INFO}
        }
      }
    }
  }
}`;
export interface StoreCreditHistoryData {
  customer: {
    id: string;
    storeCreditAccounts: {
      nodes: {
        id: string;
        balance: { amount: string; currencyCode: string };
        transactions: { nodes: { __typename: string; createdAt: string; amount: { amount: string; currencyCode: string }; id?: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }[];
    };
  } | null;
}

export const ORDER_UPDATE = /* GraphQL */ `mutation StoredeskOrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) { order { id } ${USER_ERRORS} }
}`;
export interface OrderUpdateData { orderUpdate: { order: { id: string } | null; userErrors: UserError[] } | null }

/** Shopify's userErrors. */
export interface UserError { field: string[] | null; message: string }
export interface CodedUserError extends UserError { code: string | null }
