import { Link } from '@tanstack/react-router';
import { ErrorState } from '../ui/states';

/** What a signed-in user sees where the API answered 403. */
export function NotAuthorized({ message }: { message?: string }) {
  return (
    <ErrorState title="Not authorized" message={message ?? 'Your account may not use this page.'}>
      <Link to="/" className="mt-2 text-sm font-medium text-emerald-800 underline">Go to the start page</Link>
    </ErrorState>
  );
}
