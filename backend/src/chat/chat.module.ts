import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { ConversationsModule } from '../butler/conversations/conversations.module';
import { ActorDirectory } from './actor-directory';
import { ChatInbox } from './chat-inbox';
import { ChatMessage } from './chat-message.entity';
import { ChatController } from './chat.controller';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { ThreadStoreModule } from './thread-store/thread-store.module';

@Module({
  imports: [TypeOrmModule.forFeature([ChatMessage]), ThreadStoreModule, AgentsModule, ConversationsModule],
  controllers: [ChatController],
  providers: [ChatService, ChatInbox, ActorDirectory, ChatGateway],
  exports: [ChatService, ThreadStoreModule],
})
export class ChatModule {}
