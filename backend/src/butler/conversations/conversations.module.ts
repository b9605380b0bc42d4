import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { THREAD_OWNERSHIP } from '../../chat/thread-ownership';
import { ThreadStoreModule } from '../../chat/thread-store/thread-store.module';
import { Conversation } from './conversation.entity';
import { ConversationsService } from './conversations.service';

/**
 * Separate from ButlerModule so chat can check who owns a thread without depending on the Butler. A
 * thread's messages are chat's: read and changed through ThreadStoreModule, which depends on neither.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Conversation]), ThreadStoreModule],
  providers: [ConversationsService, { provide: THREAD_OWNERSHIP, useExisting: ConversationsService }],
  exports: [ConversationsService, THREAD_OWNERSHIP],
})
export class ConversationsModule {}
