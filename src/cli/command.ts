import { type ParseArgsConfig, parseArgs } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandInput {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  json: boolean;
}

/** One CLI command: thin, it parses arguments and calls the library. */
export interface Command {
  /** Words after `wabase`, e.g. `db push`. */
  name: string;
  summary: string;
  usage?: string;
  options?: Options;
  /** Resolves to the exit code. */
  run(input: CommandInput): Promise<number>;
}

const common: Options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
};

export function helpText(command: Command): string {
  const lines = [
    `wabase ${command.name}${command.usage ? ` ${command.usage}` : ''}`,
    '',
    command.summary,
    '',
    'Options:',
  ];
  for (const [name, option] of Object.entries({ ...command.options, ...common })) {
    const flag = `--${name}${option.type === 'string' ? ' <value>' : ''}`;
    lines.push(`  ${flag}`);
  }
  return lines.join('\n');
}

/** Parses `args` for `command`; prints help and returns null when asked to. */
export function parseCommandArgs(command: Command, args: string[]): CommandInput | null {
  const { values, positionals } = parseArgs({
    args,
    options: { ...command.options, ...common },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(helpText(command));
    return null;
  }
  return { values, positionals, json: Boolean(values.json) };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
