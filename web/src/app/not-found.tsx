import { Link } from '@tanstack/react-router';
import { ErrorState } from '../ui/states';

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <main className="p-4">
      <ErrorState title="Page not found" message="There is nothing at this address.">
        <Link to="/" className="mt-2 text-sm font-medium text-emerald-800 underline">Go to the start page</Link>
      </ErrorState>
    </main>
  );
}
