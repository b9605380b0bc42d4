import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { LoginRequest, LoginResponse, UserDto } from '@echocenter/contracts';
import { UserDtoDoc } from '../../users/dto/user.doc';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'admin123' })
  @IsString()
  @Length(1, 200)
  password: string;
}

export class LoginResponseDoc implements LoginResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: UserDtoDoc }) user: UserDto;
  @ApiPropertyOptional({
    description: 'Present (true) when an admin signed in with the built-in default password: change it',
  })
  defaultPassword?: boolean;
}
