import { Global, Module } from '@nestjs/common';
import { ProjectAccessService } from './project-access.service';

/** ProjectAccessService for every feature module that serves a project's data. */
@Global()
@Module({ providers: [ProjectAccessService], exports: [ProjectAccessService] })
export class ProjectAccessModule {}
