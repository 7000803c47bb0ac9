import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '@microshop/config';

export type { Logger };

/**
 * One JSON logger per process; request loggers are children carrying requestId. Writes to stdout
 * unless given a destination (tests read a service's lines from a stream of their own).
 */
export function createLogger(
  service: string,
  config: Pick<Config, 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
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
  };
  return destination ? pino(options, destination) : pino(options);
}
