/**
 * Routes. Every page is loaded lazily; the workspace frame is not, since every signed-in page
 * needs it.
 */
import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { RequireAuth } from '../features/auth/components/require-auth';
import { AppLayout } from '../features/shell/components/app-layout';
import { INBOX_PATH } from '../features/views/builtin-views';

const SignInRoute = lazy(() => import('../routes/sign-in.route'));
const TicketListRoute = lazy(() => import('../routes/ticket-list.route'));
const TicketRoute = lazy(() => import('../routes/ticket.route'));
const CustomersRoute = lazy(() => import('../routes/customers.route'));
const CustomerRoute = lazy(() => import('../routes/customer.route'));
const OrderRoute = lazy(() => import('../routes/order.route'));
const SearchRoute = lazy(() => import('../routes/search.route'));
const NotFoundRoute = lazy(() => import('../routes/not-found.route'));

/** The app's router. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInRoute /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
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
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);
