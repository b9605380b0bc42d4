import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { ButlerApprovalsCommands1764200000000 } from './1764200000000-butler-approvals-commands';
import { GatewayPresence1764300000000 } from './1764300000000-gateway-presence';
import { ChatDropTargetIndex1764300000001 } from './1764300000001-chat-drop-target-index';
import { RuntimeSettings1764450000000 } from './1764450000000-runtime-settings';
import { ButlerTurnRecovery1764500000000 } from './1764500000000-butler-turn-recovery';
import { ApprovalFollowups1764500000001 } from './1764500000001-approval-followups';
import { LogReportKeys1764600000000 } from './1764600000000-log-report-keys';
import { AuditLog1764650000000 } from './1764650000000-audit-log';
import { ActorTokenVersion1764700000000 } from './1764700000000-actor-token-version';
import { ScopedAllowRules1764710000000 } from './1764710000000-scoped-allow-rules';
import { CommandPolicies1764720000000 } from './1764720000000-command-policies';
import { QueuedCommands1764730000000 } from './1764730000000-queued-commands';
import { AgentQuestions1764800000000 } from './1764800000000-agent-questions';
import { Notifications1764820000000 } from './1764820000000-notifications';
import { OpsInventory1764810000000 } from './1764810000000-ops-inventory';
import { PersonalAccessTokens1764830000000 } from './1764830000000-personal-access-tokens';
import { McpServers1764830000001 } from './1764830000001-mcp-servers';
import { ButlerUsage1764840000000 } from './1764840000000-butler-usage';
import { ApprovalTargets1764880000000 } from './1764880000000-approval-targets';
import { CommandClaims1764900000000 } from './1764900000000-command-claims';
import { ConversationLocale1764910000000 } from './1764910000000-conversation-locale';
import { ApprovalOutcome1765000000000 } from './1765000000000-approval-outcome';
import { ChannelLinkSignIn1765030000000 } from './1765030000000-channel-link-sign-in';
import { RequestedViaToken1765040000000 } from './1765040000000-requested-via-token';
import { OpsNodeLowerCaseNames1765050000000 } from './1765050000000-ops-node-lower-case-names';
import { CommandApprovedBy1765050000001 } from './1765050000001-command-approved-by';

/** Every migration in order, one per line. Listed explicitly so the compiled app and the tests load the same set. */
export const MIGRATIONS = [
  InitialSchema1764100000000,
  ButlerApprovalsCommands1764200000000,
  GatewayPresence1764300000000,
  ChatDropTargetIndex1764300000001,
  RuntimeSettings1764450000000,
  ButlerTurnRecovery1764500000000,
  ApprovalFollowups1764500000001,
  LogReportKeys1764600000000,
  AuditLog1764650000000,
  ActorTokenVersion1764700000000,
  ScopedAllowRules1764710000000,
  CommandPolicies1764720000000,
  QueuedCommands1764730000000,
  AgentQuestions1764800000000,
  OpsInventory1764810000000,
  Notifications1764820000000,
  PersonalAccessTokens1764830000000,
  McpServers1764830000001,
  ButlerUsage1764840000000,
  ApprovalTargets1764880000000,
  CommandClaims1764900000000,
  ConversationLocale1764910000000,
  ApprovalOutcome1765000000000,
  ChannelLinkSignIn1765030000000,
  RequestedViaToken1765040000000,
  OpsNodeLowerCaseNames1765050000000,
  CommandApprovedBy1765050000001,
];
