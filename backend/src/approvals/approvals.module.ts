import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ButlerIdentityModule } from '../butler/butler-identity.module';
import { ChatModule } from '../chat/chat.module';
import { CommandsModule } from '../commands/commands.module';
import { GatewayModule } from '../gateway/gateway.module';
import { AllowRule } from './allow-rule.entity';
import { ApprovalContextService } from './approval-context.service';
import { AllowRules } from './allow-rules.service';
import { ApprovalDecisions } from './approval-decisions.service';
import { ApprovalDispatcher } from './approval-dispatcher.service';
import { ApprovalFollowups } from './approval-followups';
import { ApprovalTelemetry } from './approval-telemetry.listener';
import { ApprovalNotifier } from './approval-notifier';
import { ApprovalScopes } from './approval-scopes';
import { ApprovalSweeper } from './approval-sweeper.service';
import { ApprovalTransitions } from './approval-transitions';
import { ApprovalTxHooks } from './approval-tx-hooks';
import { Approval } from './approval.entity';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsGateway } from './approvals.gateway';
import { ApprovalsService } from './approvals.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Approval, AllowRule]),
    ButlerIdentityModule,
    ChatModule,
    CommandsModule,
    GatewayModule,
  ],
  controllers: [ApprovalsController],
  providers: [
    ApprovalTxHooks,
    ApprovalScopes,
    ApprovalTransitions,
    AllowRules,
    ApprovalsService,
    ApprovalContextService,
    ApprovalDecisions,
    ApprovalDispatcher,
    ApprovalNotifier,
    ApprovalSweeper,
    ApprovalsGateway,
    ApprovalTelemetry,
    ApprovalFollowups,
  ],
  // Other features hear approvals through the domain events ('approvals.changed', emitted only by ApprovalTransitions) or write with ApprovalTxHooks.
  // ApprovalScopes lets the feature owning a command fix what an approval of it covers (ops: its nodes).
  // ApprovalDecisions is shared so every channel (console, REST, one-time links) decides by the same rules.
  // ApprovalFollowups lets the Butler find and take over the follow-ups a node that is gone still owed.
  exports: [ApprovalsService, ApprovalTxHooks, ApprovalDecisions, ApprovalScopes, ApprovalFollowups],
})
export class ApprovalsModule {}
