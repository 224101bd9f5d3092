import type { useTestConnection } from './mutations';

type TestResult = NonNullable<ReturnType<typeof useTestConnection>['data']>;

/** What Graph said about the number the last time "Test" was clicked. */
export function TestResult({ result }: { result: TestResult }) {
  if (!result.ok || !result.details) {
    const error = result.error;
    return (
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        <p className="font-medium">Meta refused: {error?.message ?? 'no answer'}{error?.metaCode ? ` (code ${error.metaCode})` : ''}</p>
        {error?.hint ? <p className="mt-1">{error.hint}</p> : null}
      </div>
    );
  }
  const d = result.details;
  const facts: [string, string | null][] = [
    ['Number', d.displayPhoneNumber],
    ['Verified name', d.verifiedName],
    ['Quality', d.qualityRating],
    ['Name status', d.nameStatus],
    ['Platform', d.platformType],
    ['Throughput', d.throughputLevel],
  ];
  return (
    <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
      <p className="font-medium">Meta answered: the token works for this number.</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        {facts.filter(([, value]) => value).map(([label, value]) => (
          <div key={label} className="contents"><dt className="text-emerald-800">{label}</dt><dd>{value}</dd></div>
        ))}
      </dl>
    </div>
  );
}
