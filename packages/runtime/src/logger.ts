import { pino, type Logger } from 'pino';
import type { Config } from '@microshop/config';

export type { Logger };

/** One JSON logger per process; request loggers are children carrying requestId. */
export function createLogger(service: string, config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    name: service,
    level: config.logLevel,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'authorization',
        'password',
        '*.password',
        'refreshToken',
      ],
      censor: '[redacted]',
    },
  });
}
