/**
 * Toasts for the outcome of an agent's action.
 */
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api/client';

/** Shows a failed action with the server's human message. */
export function notifyError(error: unknown, title = 'That did not work'): void {
  notifications.show({ color: 'red', title, message: errorMessage(error), autoClose: 8000 });
}

/** Confirms a finished action. */
export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 3000 });
}
