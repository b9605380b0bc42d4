/** An agent's token stopped working (DomainEvents 'agents.credentialsRevoked'): the gateway disconnects it on every node. */
export interface AgentCredentialsRevoked {
  agentId: number;
  reason: 'rotated' | 'deleted';
}
