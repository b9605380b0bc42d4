import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { DrainState } from '../lifecycle/drain-state';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly drain: DrainState,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and database reachability, for load balancers (503 when unhealthy)' })
  check() {
    return this.health.check([
      // A draining node answers 503 first, so a load balancer stops sending it new clients.
      () =>
        this.drain.draining
          ? this.indicators.check('node').down({ message: 'shutting down' })
          : this.indicators.check('node').up(),
      () => this.db.pingCheck('database', { timeout: 1500 }),
    ]);
  }
}
