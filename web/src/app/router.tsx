/**
 * Routes. Every page is loaded lazily; the workspace frame is not, since every signed-in page
 * needs it. Settings are for admins only, except the store policy (managers too).
 */
import { lazy } from 'react';
import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { RequireAuth } from '../features/auth/components/require-auth';
import { RequireRole } from '../features/auth/components/require-role';
import { AppLayout } from '../features/shell/components/app-layout';
import { INBOX_PATH } from '../features/views/builtin-views';
import { RouteError } from './route-error';

const SignInRoute = lazy(() => import('../routes/sign-in.route'));
const TicketListRoute = lazy(() => import('../routes/ticket-list.route'));
const TicketRoute = lazy(() => import('../routes/ticket.route'));
const CustomersRoute = lazy(() => import('../routes/customers.route'));
const CustomerRoute = lazy(() => import('../routes/customer.route'));
const OrderRoute = lazy(() => import('../routes/order.route'));
const SearchRoute = lazy(() => import('../routes/search.route'));
const MailboxesRoute = lazy(() => import('../routes/settings-mailboxes.route'));
const MailboxRoute = lazy(() => import('../routes/settings-mailbox.route'));
const OutboxRoute = lazy(() => import('../routes/settings-outbox.route'));
const AgentsRoute = lazy(() => import('../routes/settings-agents.route'));
const StoresRoute = lazy(() => import('../routes/settings-stores.route'));
const StoreRoute = lazy(() => import('../routes/settings-store.route'));
const PolicyRoute = lazy(() => import('../routes/settings-policy.route'));
const ApprovalsRoute = lazy(() => import('../routes/approvals.route'));
const ConsistencyReportRoute = lazy(() => import('../routes/reports-consistency.route'));
const AuthorityRoute = lazy(() => import('../routes/settings-authority.route'));
const PlaybooksRoute = lazy(() => import('../routes/settings-playbooks.route'));
const NotFoundRoute = lazy(() => import('../routes/not-found.route'));

/**
 * The app's router. A page that fails to render shows `RouteError` inside the layout (the
 * navigation stays usable); the layout itself failing shows it alone.
 */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInRoute />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <Navigate to={INBOX_PATH} replace /> },
          { path: 'inbox', element: <Navigate to={INBOX_PATH} replace /> },
          { path: 'inbox/:view', element: <TicketListRoute /> },
          { path: 'views/:viewId', element: <TicketListRoute /> },
          { path: 'tickets/:ref', element: <TicketRoute /> },
          { path: 'customers', element: <CustomersRoute /> },
          { path: 'customers/:id', element: <CustomerRoute /> },
          { path: 'orders/:storeId/:number', element: <OrderRoute /> },
          { path: 'search', element: <SearchRoute /> },
          {
            // The store policy is for managers too, so it sits beside the admin-only settings.
            path: 'settings/policy',
            element: (
              <RequireRole role="manager">
                <PolicyRoute />
              </RequireRole>
            ),
          },
          // Authority, budgets, playbooks, approvals and the consistency report are for managers.
          { path: 'approvals', element: <RequireRole role="manager"><ApprovalsRoute /></RequireRole> },
          { path: 'reports/consistency', element: <RequireRole role="manager"><ConsistencyReportRoute /></RequireRole> },
          { path: 'settings/authority', element: <RequireRole role="manager"><AuthorityRoute /></RequireRole> },
          { path: 'settings/playbooks', element: <RequireRole role="manager"><PlaybooksRoute /></RequireRole> },
          {
            path: 'settings',
            element: (
              <RequireRole role="admin">
                <Outlet />
              </RequireRole>
            ),
            children: [
              { index: true, element: <Navigate to="mailboxes" replace /> },
              { path: 'mailboxes', element: <MailboxesRoute /> },
              { path: 'mailboxes/new', element: <MailboxRoute /> },
              { path: 'mailboxes/:id', element: <MailboxRoute /> },
              { path: 'outbox', element: <OutboxRoute /> },
              { path: 'agents', element: <AgentsRoute /> },
              { path: 'stores', element: <StoresRoute /> },
              { path: 'stores/new', element: <StoreRoute /> },
              { path: 'stores/:id', element: <StoreRoute /> },
            ],
          },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
]);
