import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ButlerDto } from '@echocenter/contracts';
import { ApiErrors } from '../common/swagger';
import { ButlerIdentity } from './butler-identity.service';

class ButlerDtoDoc implements ButlerDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['BUTLER'] }) kind: 'BUTLER';
  @ApiProperty({ description: '"offline" without a model, else the model name' }) brain: string;
  @ApiProperty({ description: 'Whether a requester may decide their own approvals (admins always may)' })
  requesterMayApprove: boolean;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Whether the model can use tools (null: offline brain, or not known yet)',
  })
  modelTools: boolean | null;
}

@ApiTags('butler')
@ApiBearerAuth('jwt')
@ApiErrors(401)
@Controller('butler')
export class ButlerController {
  constructor(private readonly identity: ButlerIdentity) {}

  @Get()
  @ApiOperation({ summary: 'The Butler: its name, its brain (a model or offline) and what it may do' })
  @ApiOkResponse({ type: ButlerDtoDoc })
  get(): Promise<ButlerDto> {
    return this.identity.describe();
  }
}
