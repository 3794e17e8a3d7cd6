import { Controller, Get, Header, Module, SetMetadata } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { PUBLIC_ROUTE } from './health';

let defaultsCollected = false;

@SetMetadata(PUBLIC_ROUTE, true)
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}

/** Prometheus `/metrics`: process metrics plus whatever counters the service registers with prom-client. */
@Module({ controllers: [MetricsController] })
export class MetricsModule {
  constructor() {
    if (!defaultsCollected) {
      collectDefaultMetrics();
      defaultsCollected = true;
    }
  }
}
