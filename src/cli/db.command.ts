import type { Config } from '../config';
import { ensureRunning, status, stop, boltUri } from '../db/embedded-neo4j';
import { UsageError } from './main';

export async function dbCommand(cfg: Config, args: string[]): Promise<number> {
  if (cfg.neo4jUri && args[0] !== 'status') {
    process.stderr.write(`labortrace: NEO4J_URI is set (${cfg.neo4jUri}); the embedded Neo4j is not used\n`);
  }
  switch (args[0]) {
    case 'start': {
      const port = await ensureRunning(cfg);
      process.stdout.write(`running ${boltUri(port)} (home ${cfg.home})\n`);
      return 0;
    }
    case 'stop': {
      const result = await stop(cfg);
      process.stdout.write(result === 'stopped' ? 'stopped\n' : 'not running\n');
      return 0;
    }
    case 'status': {
      const s = await status(cfg);
      if (s.running) {
        process.stdout.write(`running pid ${s.pid} ${s.port !== undefined ? boltUri(s.port) : ''} (home ${cfg.home})\n`);
        return 0;
      }
      process.stdout.write(s.stalePid !== undefined ? `stopped (stale pid file: ${s.stalePid} is gone)\n` : 'stopped\n');
      return 3;
    }
    default:
      throw new UsageError('db takes start, stop or status');
  }
}
