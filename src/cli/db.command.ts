import type { Config } from '../config';
import { ensureRunning, status, stop, boltUri } from '../db/embedded-neo4j';
import { EXIT_NOT_RUNNING, EXIT_OK, UsageError, parseCommand, type CommandSpec } from './args';

export const DB_SPEC: CommandSpec = {
  name: 'db',
  synopsis: 'start|stop|status',
  brief: 'the embedded Neo4j under LABORTRACE_HOME',
  summary: 'Starts, stops or reports the embedded Neo4j whose files live under LABORTRACE_HOME (default ./.labortrace).',
  details: [
    'start: launches it unless it runs (prints its Bolt address). stop: shuts it down cleanly. status: exit 0 when it runs, 3 when it does not.',
    'With NEO4J_URI set the embedded Neo4j is not used by the other commands.',
  ],
  options: {},
  positionals: { names: ['action (start, stop or status)'], min: 1 },
};

export async function dbCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(DB_SPEC, args);
  if (!parsed) return EXIT_OK;
  const [action] = parsed.positionals;
  if (action !== 'start' && action !== 'stop' && action !== 'status') {
    throw new UsageError(`unknown action '${action}'; db takes start, stop or status`, 'db');
  }
  if (cfg.neo4jUri && action !== 'status') {
    process.stderr.write(`labortrace: NEO4J_URI is set (${cfg.neo4jUri}); the embedded Neo4j is not used\n`);
  }
  switch (action) {
    case 'start': {
      const port = await ensureRunning(cfg);
      process.stdout.write(`running ${boltUri(port)} (home ${cfg.home})\n`);
      return EXIT_OK;
    }
    case 'stop': {
      const result = await stop(cfg);
      process.stdout.write(result === 'stopped' ? 'stopped\n' : 'not running\n');
      return EXIT_OK;
    }
    case 'status': {
      const s = await status(cfg);
      if (s.running) {
        process.stdout.write(`running pid ${s.pid} ${s.port !== undefined ? boltUri(s.port) : ''} (home ${cfg.home})\n`);
        return EXIT_OK;
      }
      process.stdout.write(s.stalePid !== undefined ? `stopped (stale pid file: ${s.stalePid} is gone)\n` : 'stopped\n');
      return EXIT_NOT_RUNNING;
    }
  }
}
