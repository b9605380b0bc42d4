import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { ApprovalsModule } from '../approvals/approvals.module';
import { ChatModule } from '../chat/chat.module';
import { CommandsModule } from '../commands/commands.module';
import { GatewayModule } from '../gateway/gateway.module';
import { LogsModule } from '../logs/logs.module';
import { BrainRouter, brainProvider } from './brain/brain.provider';
import { ButlerIdentityModule } from './butler-identity.module';
import { ButlerController } from './butler.controller';
import { Conversation } from './conversations/conversation.entity';
import { ConversationsController } from './conversations/conversations.controller';
import { ConversationsModule } from './conversations/conversations.module';
import { ApprovalTranscript } from './monitor/approval-transcript';
import { MonitorModule } from './monitor/monitor.module';
import { AgentQuestion } from './questions/agent-question.entity';
import { AgentQuestionsService } from './questions/agent-questions.service';
import { QuestionSweeper } from './questions/question-sweeper.service';
import { ButlerToolDeps } from './tools/butler-tool-deps';
import { ButlerService } from './turns/butler.service';
import { ThreadContextService } from './turns/thread-context.service';
import { TurnLedger } from './turns/turn-ledger';
import { TurnRecovery } from './turns/turn-recovery.service';
import { ModelUsage } from './usage/model-usage.entity';
import { TurnBudget } from './usage/turn-budget';
import { UsageController } from './usage/usage.controller';
import { UsageService } from './usage/usage.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, AgentQuestion, ModelUsage]),
    ButlerIdentityModule,
    ConversationsModule,
    MonitorModule,
    AgentsModule,
    LogsModule,
    ChatModule,
    GatewayModule,
    CommandsModule,
    ApprovalsModule,
  ],
  controllers: [ButlerController, ConversationsController, UsageController],
  providers: [
    AgentQuestionsService,
    QuestionSweeper,
    BrainRouter,
    brainProvider,
    ThreadContextService,
    ButlerToolDeps,
    ButlerService,
    TurnLedger,
    TurnRecovery,
    ApprovalTranscript,
    UsageService,
    TurnBudget,
  ],
  exports: [ButlerIdentityModule, ConversationsModule, ButlerToolDeps],
})
export class ButlerModule {}
