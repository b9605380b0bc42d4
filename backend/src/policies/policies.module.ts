import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommandPolicy } from './command-policy.entity';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { PolicyNotifier } from './policy-notifier';

/** Which commands run at once: admins confirm agents' read-only claims (GET/PUT /api/agents/:id/policies). */
@Module({
  imports: [TypeOrmModule.forFeature([CommandPolicy])],
  controllers: [PoliciesController],
  providers: [PoliciesService, PolicyNotifier],
  exports: [PoliciesService],
})
export class PoliciesModule {}
