import { Injectable } from '@nestjs/common';
import { AgentsService } from '../../agents/agents.service';
import { ApprovalsService } from '../../approvals/approvals.service';
import { CommandsService } from '../../commands/commands.service';
import { RealtimeService } from '../../gateway/realtime.service';
import { LogsService } from '../../logs/logs.service';
import { ButlerMeter } from '../../observability/butler-meter';
import { PoliciesService } from '../../policies/policies.service';
import { SettingsService } from '../../settings/settings.service';
import { ButlerIdentity } from '../butler-identity.service';
import { AgentQuestionsService } from '../questions/agent-questions.service';
import type { ToolDeps } from './butler-tools';

/** The services the Butler's tools act through, gathered once so each turn's tools are cheap to build. */
@Injectable()
export class ButlerToolDeps implements ToolDeps {
  constructor(
    readonly settings: SettingsService,
    readonly agents: AgentsService,
    readonly logs: LogsService,
    readonly commands: CommandsService,
    readonly approvals: ApprovalsService,
    readonly realtime: RealtimeService,
    readonly butler: ButlerIdentity,
    readonly policies: PoliciesService,
    readonly questions: AgentQuestionsService,
    readonly meter: ButlerMeter,
  ) {}
}
